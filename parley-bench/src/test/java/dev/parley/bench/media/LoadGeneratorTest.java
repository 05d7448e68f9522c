package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator against the in-process forwarder and against itself: every packet sent arrives once, at the
 * right stream, and SRTP made with jitsi-srtp round-trips. A light load (20 calls, 2000 packets/s) on 127.0.0.1, no
 * timing asserted (what a stalled generator skips is counted, not sent).
 */
class LoadGeneratorTest {

    @Test
    void everyPacketArrivesOnceThroughTheForwarderWithSrtp() throws Exception {
        assertDelivered(new EchoRelay(), true);
    }

    @Test
    void everyPacketArrivesOnceWithoutARelay() throws Exception {
        assertDelivered(new DirectRelay(), false);
    }

    private static void assertDelivered(Relay relay, boolean srtp) throws Exception {
        try (relay; LoadGenerator generator = new LoadGenerator(200)) {
            Relay.Side a = new Relay.Side(generator.addressA(), srtp ? SdesKey.random() : null);
            Relay.Side b = new Relay.Side(generator.addressB(), srtp ? SdesKey.random() : null);
            List<Relay.RelayedCall> calls = LoadGenerator.setUpCalls(relay, 20, a, b, srtp);
            LoadGenerator.StepResult r = generator.run(1, calls, a, b, srtp, -1, 0, 1, 1000);
            for (Relay.RelayedCall call : calls) {
                relay.tearDown(call);
            }
            // on a loaded machine the generator may skip overdue packets instead of bursting them: count those too
            assertThat(r.sent() + r.skipped()).as(r.toString()).isEqualTo(20 * 2 * 50);
            assertThat(r.sent()).isPositive();
            assertThat(r.received()).as(r.toString()).isEqualTo(r.sent());
            assertThat(r.lost()).isZero();
            assertThat(r.misrouted()).isZero();
            assertThat(r.unknown()).isZero();
            assertThat(r.srtpFailures()).isZero();
            // latency is sampled for packets sent inside the window; a late one may fall just after it
            assertThat(r.latencySamples()).isPositive().isLessThanOrEqualTo(r.received());
        }
    }
}
