package dev.parley.bench.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Parley's media plane in its own JVM ({@link ParleyRelayMain}), driven over that process's line protocol. A call
 * is two endpoints, each configured with its side's address, the side's key (what Parley receives) and a fresh
 * key of Parley's (what Parley sends), then bridged — what the PBX does after offer/answer.
 */
final class ParleyRelay implements Relay {
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;
    private final long pid;

    ParleyRelay(InetSocketAddress control) throws IOException {
        socket = new Socket(control.getAddress(), control.getPort());
        socket.setTcpNoDelay(true);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
        pid = Long.parseLong(command("pid")[1]);
    }

    @Override
    public String name() {
        return "parley";
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public RelayedCall setUp(int index, Side a, Side b, boolean srtp) throws IOException {
        String[] legA = command("open bench-" + index + "/a");
        String[] legB = command("open bench-" + index + "/b");
        SdesKey toA = srtp ? SdesKey.random() : null;
        SdesKey toB = srtp ? SdesKey.random() : null;
        configure(legA[1], a, toA);
        configure(legB[1], b, toB);
        command("bridge " + legA[1] + " " + legB[1]);
        return new RelayedCall(index, new InetSocketAddress(legA[2], Integer.parseInt(legA[3])),
                new InetSocketAddress(legB[2], Integer.parseInt(legB[3])), toA, toB,
                new String[] {legA[1], legB[1]});
    }

    private void configure(String id, Side side, SdesKey parleySends) throws IOException {
        command("configure " + id + " " + side.address().getAddress().getHostAddress() + " "
                + side.address().getPort() + " " + inline(side.key()) + " " + inline(parleySends));
    }

    private static String inline(SdesKey key) {
        return key == null ? "-" : key.inline();
    }

    @Override
    public void tearDown(RelayedCall call) throws IOException {
        for (String id : (String[]) call.handle()) {
            command("close " + id);
        }
    }

    @Override
    public String counters() throws IOException {
        String[] c = command("counters");
        return "received " + c[1] + " sent " + c[2] + " dropped " + c[3] + " srtp-fail " + c[4];
    }

    /** Sends one command line and returns the fields of the {@code ok} answer. */
    private String[] command(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
        String answer = in.readLine();
        if (answer == null) {
            throw new IOException("the Parley relay closed its control connection");
        }
        if (!answer.startsWith("ok")) {
            throw new IOException("Parley relay: " + line.split(" ")[0] + " failed: " + answer);
        }
        return answer.split(" ");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
