package dev.parley.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network path that dies: every UDP datagram between two local ports is dropped, both ways, until
 * {@link #close()}. Done with iptables rules in the {@code OUTPUT} chain (Debian package {@code iptables}, run as
 * root): traffic between two sockets of this host, loopback included, is local output, so the datagrams vanish
 * before any capture on {@code lo} sees them. The rules match the two ports only, so nothing else on the host is
 * touched; each rule is inserted once and deleted by the same specification.
 */
public final class UdpPathBlock implements AutoCloseable {
    private static final Path IPTABLES = Path.of("/usr/sbin/iptables");

    private final List<List<String>> rules = new ArrayList<>();

    private UdpPathBlock() {
    }

    /** Drops UDP from {@code portA} to {@code portB} and from {@code portB} to {@code portA}. */
    public static UdpPathBlock between(int portA, int portB) throws IOException, InterruptedException {
        if (!Files.isExecutable(IPTABLES)) {
            throw new IllegalStateException("this test cuts a network path with iptables: install the Debian"
                    + " package 'iptables' (./parley test does)");
        }
        UdpPathBlock block = new UdpPathBlock();
        try {
            block.add(portA, portB);
            block.add(portB, portA);
        } catch (IOException | RuntimeException e) {
            block.close();
            throw e;
        }
        return block;
    }

    private void add(int from, int to) throws IOException, InterruptedException {
        List<String> rule = List.of("OUTPUT", "-p", "udp", "--sport", Integer.toString(from), "--dport",
                Integer.toString(to), "-j", "DROP");
        run("-I", rule);
        rules.add(rule);
    }

    private static void run(String action, List<String> rule) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(IPTABLES.toString(), "-w", "5", action));
        command.addAll(rule);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed (needs root): " + out);
        }
    }

    /** Deletes the rules: the path works again. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted(); // delete every rule even when the test was interrupted
        for (List<String> rule : rules) {
            try {
                run("-D", rule);
            } catch (IOException e) {
                System.err.println("could not remove an iptables rule, delete it by hand: " + e.getMessage());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        rules.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
