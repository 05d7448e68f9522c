package dev.parley.pbx;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.sipstack.SipStack;
import dev.parley.sipstack.StackConfig;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.transport.TransportConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A PBX on a real stack bound to 127.0.0.1 with ephemeral ports and in-memory ports, with a small directory:
 * alice (101, device alice), bob (102, devices bob-desk and bob-soft), carol (103, device carol), dave (104, device
 * dave, never registered). Every password is {@code <device>-secret}.
 */
final class TestPbx implements AutoCloseable {
    final PbxPorts ports;
    final RecordingMediaService media = new RecordingMediaService();
    final Pbx pbx;
    final SipStack stack;

    TestPbx() {
        this(PbxConfig.defaults(TestPhone.REALM));
    }

    TestPbx(PbxConfig config) {
        this(config, PbxPorts.inMemory());
    }

    /** A PBX on {@code ports} (empty: the directory above is saved into them). */
    TestPbx(PbxConfig config, PbxPorts ports) {
        this.ports = ports;
        user("alice", "Alice", "101", "alice");
        user("bob", "Bob", "102", "bob-desk", "bob-soft");
        user("carol", "", "103", "carol");
        user("dave", "Dave", "104", "dave");
        pbx = new Pbx(config, ports, media, Clock.systemUTC());
        TransportConfig transports = TransportConfig.builder().bindAddress(InetAddress.getLoopbackAddress())
                .udpPort(0).tcpPort(0).tlsPort(TransportConfig.DISABLED).ioThreads(2).build();
        stack = new SipStack(StackConfig.of(transports).withLanes(4), pbx);
        pbx.attach(stack);
        stack.start();
    }

    private void user(String name, String display, String extension, String... devices) {
        UserId id = new UserId(name);
        ports.users().save(new User(id, name, display));
        ports.extensions().save(new Extension(extension, id));
        for (String d : devices) {
            ports.devices().save(new Device(new DeviceId(d), id, d, SipSecret.of(secret(d)), d));
        }
    }

    static String secret(String device) {
        return device + "-secret";
    }

    int udpPort() {
        return stack.boundPort(Transport.UDP);
    }

    int tcpPort() {
        return stack.boundPort(Transport.TCP);
    }

    /** A UDP phone for {@code device}, registering {@code aor}. */
    TestPhone phone(String device, String aor) throws Exception {
        return TestPhone.udp(device, secret(device), aor, udpPort());
    }

    TestPhone tcpPhone(String device, String aor) throws Exception {
        return TestPhone.tcp(device, secret(device), aor, tcpPort());
    }

    /** The CDRs written so far, waiting up to 5 s for at least {@code count}. */
    List<CallRecord> awaitCdrs(int count) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ports.callRecords().recent(100).size() < count && System.nanoTime() - end < 0) {
            Thread.sleep(10);
        }
        return ports.callRecords().recent(100);
    }

    void awaitNoCalls() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (pbx.activeCalls() > 0 && System.nanoTime() - end < 0) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        stack.close();
        pbx.close();
    }
}
