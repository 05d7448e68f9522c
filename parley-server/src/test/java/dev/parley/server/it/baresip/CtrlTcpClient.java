package dev.parley.server.it.baresip;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A client of baresip's {@code ctrl_tcp} module: JSON objects framed as netstrings ({@code <length>:<json>,}).
 * Commands go out as {@code {"command":..., "params":..., "token":...}}; the answer carries the same token, and
 * baresip pushes events ({@code {"event":true, "type":"CALL_ESTABLISHED", ...}}) on the same connection.
 */
final class CtrlTcpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A netstring longer than this is not baresip talking. */
    private static final int MAX_FRAME = 1 << 20;

    private final String name;
    private final Socket socket;
    private final OutputStream out;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> responses = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();
    private volatile IOException readFailure;

    CtrlTcpClient(String name, Socket socket) throws IOException {
        this.name = name;
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        Thread.ofPlatform().daemon().name("ctrl_tcp-" + name).start(() -> read(in));
    }

    private void read(InputStream in) {
        try {
            while (true) {
                JsonNode message = JSON.readTree(readNetstring(in));
                if (message.path("event").asBoolean()) {
                    events.add(message);
                } else if (message.path("response").asBoolean()) {
                    responses.put(message.path("token").asText(), message);
                }
            }
        } catch (IOException e) {
            if (!socket.isClosed()) {
                readFailure = e;
            }
        }
    }

    private static byte[] readNetstring(InputStream in) throws IOException {
        int length = 0;
        int c;
        while ((c = in.read()) != ':') {
            if (c < 0) {
                throw new EOFException("ctrl_tcp connection closed");
            }
            if (c < '0' || c > '9' || length > MAX_FRAME) {
                throw new IOException("not a netstring length: character " + c);
            }
            length = length * 10 + (c - '0');
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length || in.read() != ',') {
            throw new IOException("netstring of " + length + " bytes not terminated by ','");
        }
        return body;
    }

    /** Sends a command and waits for baresip's answer to it; fails unless the answer says {@code "ok":true}. */
    JsonNode command(String command, String params, Duration timeout) {
        String token = name + "-" + tokens.incrementAndGet();
        ObjectNode request = JSON.createObjectNode().put("command", command).put("params", params)
                .put("token", token);
        byte[] json = request.toString().getBytes(UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes((json.length + ":").getBytes(UTF_8));
        frame.writeBytes(json);
        frame.write(',');
        try {
            synchronized (out) {
                out.write(frame.toByteArray());
                out.flush();
            }
        } catch (IOException e) {
            throw new AssertionError(name + ": could not send ctrl_tcp command " + command, e);
        }
        JsonNode response = poll(() -> responses.get(token), timeout,
                () -> name + ": no answer to ctrl_tcp command " + command + " within " + timeout);
        if (!response.path("ok").asBoolean()) {
            throw new AssertionError(name + ": baresip refused " + command + " " + params + ": " + response);
        }
        return response;
    }

    /** The first event matching {@code p}, waiting up to {@code timeout}. */
    JsonNode awaitEvent(Predicate<JsonNode> p, String what, Duration timeout) {
        return poll(() -> events.stream().filter(p).findFirst().orElse(null), timeout,
                () -> name + ": no " + what + " event within " + timeout + "; events so far: " + events);
    }

    List<JsonNode> events() {
        return List.copyOf(events);
    }

    private <T> T poll(Supplier<T> find, Duration timeout, Supplier<String> failure) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            T found = find.get();
            if (found != null) {
                return found;
            }
            if (readFailure != null) {
                throw new AssertionError(name + ": ctrl_tcp connection failed: " + readFailure.getMessage());
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
