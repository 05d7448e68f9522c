package dev.parley.rtp.ice;

import dev.parley.common.VirtualScheduler;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.stun.StunKey;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunStatus;
import dev.parley.rtp.stun.TransportAddress;
import java.lang.management.ManagementFactory;

/**
 * A plain micro-benchmark, not a test: one browser connectivity check (a Chrome-shaped Binding request with
 * USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT) routed by the demux table,
 * then parsed, authenticated and answered by the agent, on one thread; also the forged-check path (401). Prints
 * ns per check and heap bytes allocated per check (HotSpot's per-thread allocation counter). Run with the test
 * classpath: {@code java -cp parley-common/target/classes:parley-rtp/target/classes:parley-rtp/target/test-classes
 * dev.parley.rtp.ice.IceCheckThroughput [seconds]}.
 */
public final class IceCheckThroughput {
    private IceCheckThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        IceCredentials local = new IceCredentials("Pa1rLoc8", "ParleyLocalPassword+/22x");
        TransportAddress browser = TransportAddress.ipv4(192, 0, 2, 10, 50_000);
        byte[] check = new Checks(local.ufrag(), "brow", local.password()).useCandidate(true).build();
        byte[] forged = new Checks(local.ufrag(), "brow", "SomeoneElsesPassword+/22").build();
        IceLiteAgent agent = new IceLiteAgent(local, IceLiteSettings.defaults(), new VirtualScheduler(),
                new IceLiteAgent.Listener() {
                    @Override
                    public void onPairSelected(TransportAddress remote) {
                    }

                    @Override
                    public void onConsentExpired(TransportAddress remote) {
                    }
                });
        IceDemuxTable<TransportAddress, IceLiteAgent> table = new IceDemuxTable<>();
        for (int i = 0; i < 1000; i++) { // a busy port: 1000 other browsers' endpoints
            table.register(IceCredentials.random(new java.util.SplittableRandom(i)).ufrag(), new IceLiteAgent(
                    IceCredentials.random(new java.util.SplittableRandom(i)), IceLiteSettings.defaults(),
                    new VirtualScheduler(), NOOP));
        }
        table.register(local.ufrag(), agent);
        PacketBuffer response = new PacketBuffer(1500);
        System.out.printf("check %d octets, answer %d octets%n", check.length,
                answerLength(table, agent, check, browser, response));
        measure("valid check: route + parse + verify + answer", table, check, browser, response, seconds,
                IceCheckOutcome.ANSWERED);
        measure("forged check: route + parse + verify + 401", table, forged, browser, response, seconds,
                IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        StunMessage view = new StunMessage();
        StunKey key = StunKey.shortTerm(local.password());
        part("parse only (StunMessage.wrap, FINGERPRINT checked)", seconds, () -> {
            if (view.wrap(check, 0, check.length) != StunStatus.OK) {
                throw new AssertionError();
            }
        });
        part("parse + verify MESSAGE-INTEGRITY", seconds, () -> {
            view.wrap(check, 0, check.length);
            if (!key.verify(view).ok()) {
                throw new AssertionError();
            }
        });
    }

    private static void part(String name, double seconds, Runnable op) {
        for (int i = 0; i < 300_000; i++) {
            op.run();
        }
        long count = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 10_000; i++) {
                op.run();
            }
            count += 10_000;
        }
        System.out.printf("%-48s %,6.0f ns/op%n", name, (double) (System.nanoTime() - start) / count);
    }

    private static final IceLiteAgent.Listener NOOP = new IceLiteAgent.Listener() {
        @Override
        public void onPairSelected(TransportAddress remote) {
        }

        @Override
        public void onConsentExpired(TransportAddress remote) {
        }
    };

    private static int answerLength(IceDemuxTable<TransportAddress, IceLiteAgent> table, IceLiteAgent agent,
            byte[] check, TransportAddress from, PacketBuffer response) {
        agent.receive(check, 0, check.length, from, response);
        return response.length();
    }

    private static void measure(String name, IceDemuxTable<TransportAddress, IceLiteAgent> table, byte[] check,
            TransportAddress from, PacketBuffer response, double seconds, IceCheckOutcome expected) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        run(table, check, from, response, 300_000, expected); // warm-up: JIT, SHA-1 intrinsics
        long count = 0;
        long bytesBefore = threads.getThreadAllocatedBytes(self);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            run(table, check, from, response, 10_000, expected);
            count += 10_000;
        }
        double elapsed = System.nanoTime() - start;
        long bytes = threads.getThreadAllocatedBytes(self) - bytesBefore;
        System.out.printf("%-48s %,10.0f checks/s  %,6.0f ns/check  %,6.1f bytes allocated/check%n", name,
                count / elapsed * 1e9, elapsed / count, (double) bytes / count);
    }

    private static void run(IceDemuxTable<TransportAddress, IceLiteAgent> table, byte[] check, TransportAddress from,
            PacketBuffer response, int n, IceCheckOutcome expected) {
        for (int i = 0; i < n; i++) {
            IceLiteAgent agent = table.route(check, 0, check.length, from);
            if (agent.receive(check, 0, check.length, from, response) != expected) {
                throw new AssertionError("unexpected outcome");
            }
        }
    }
}
