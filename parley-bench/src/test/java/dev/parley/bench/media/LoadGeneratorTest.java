package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator against the in-process forwarder and against itself: every packet sent arrives once, at the
 * right stream; what Parley's SRTP protected, jitsi-srtp verifies on the sample, and a damaged packet in the sample
 * is a verification failure. A light load (20 calls, 2000 packets/s) on 127.0.0.1, no timing asserted (what a
 * stalled generator skips is counted, not sent).
 */
class LoadGeneratorTest {
    private static final int CALLS = 20;
    private static final int SECONDS = 1;

    @Test
    void everyPacketArrivesOnceThroughTheForwarderWithSrtp() throws Exception {
        try (EchoRelay relay = new EchoRelay(); LoadGenerator generator = new LoadGenerator(200)) {
            LoadGenerator.StepResult r = step(relay, generator, true);
            assertDelivered(r);
            assertThat(r.srtpFailures()).isZero();
            // each stream's first packet and 1 in 16 after: more than the first ones, fewer than all
            assertThat(r.verified()).as(r.toString())
                    .isGreaterThan((long) CALLS * 2 * LoadGenerator.VERIFY_FIRST).isLessThan(r.received());
            // SRTP latency comes from the sampled packets only (the others' send time is encrypted)
            assertThat(r.latencySamples()).isPositive().isLessThanOrEqualTo(r.verified());
            // send-to-socket: the packets stamped for it (1 in 16) that were also decrypted, each with a kernel stamp
            assertThat(r.sendToSocketSamples()).isPositive().isLessThanOrEqualTo(r.latencySamples());
            assertThat(r.sendToSocketUnstamped()).isZero();
        }
    }

    @Test
    void verifyingEveryPacketChecksAllOfThem() throws Exception {
        try (EchoRelay relay = new EchoRelay(); LoadGenerator generator = new LoadGenerator(200, 1)) {
            LoadGenerator.StepResult r = step(relay, generator, true);
            assertDelivered(r);
            assertThat(r.verified()).isEqualTo(r.received());
        }
    }

    @Test
    void everyPacketArrivesOnceWithoutARelay() throws Exception {
        try (DirectRelay relay = new DirectRelay(); LoadGenerator generator = new LoadGenerator(200)) {
            LoadGenerator.StepResult r = step(relay, generator, false);
            assertDelivered(r);
            // RTP latency from every packet inside the window; a late one may fall just after it
            assertThat(r.latencySamples()).isPositive().isLessThanOrEqualTo(r.received());
            assertThat(r.verified()).isZero();
            // 1 in 16 stamped for send-to-socket, every one with the kernel's receive stamp
            assertThat(r.sendToSocketSamples()).isPositive()
                    .isLessThanOrEqualTo(r.latencySamples() / LoadGenerator.STAMP_EVERY + CALLS * 2);
            assertThat(r.sendToSocketUnstamped()).isZero();
        }
    }

    @Test
    void aDamagedPacketInTheSampleIsAVerificationFailure() throws Exception {
        try (EchoRelay relay = EchoRelay.corrupting(); LoadGenerator generator = new LoadGenerator(200)) {
            LoadGenerator.StepResult r = step(relay, generator, true);
            // every datagram's tag is damaged: each one sampled fails, and is not counted as received
            assertThat(r.srtpFailures()).as(r.toString()).isGreaterThan(CALLS * 2L * LoadGenerator.VERIFY_FIRST);
            assertThat(r.verified()).isZero();
            assertThat(r.lost()).isEqualTo(r.srtpFailures());
            assertThat(r.sent() + r.skipped() + r.sendRefused()).isEqualTo(CALLS * 2 * 50L * SECONDS);
        }
    }

    @Test
    void verifyingLessThanEveryPacketIsRefused() {
        assertThatThrownBy(() -> new LoadGenerator(200, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("verify-every");
    }

    private static LoadGenerator.StepResult step(Relay relay, LoadGenerator generator, boolean srtp)
            throws Exception {
        Relay.Side a = new Relay.Side(generator.addressA(), srtp ? SdesKey.random() : null);
        Relay.Side b = new Relay.Side(generator.addressB(), srtp ? SdesKey.random() : null);
        List<Relay.RelayedCall> calls = LoadGenerator.setUpCalls(relay, CALLS, a, b, srtp);
        LoadGenerator.StepResult r = generator.run(1, calls, a, b, srtp, -1, 0, SECONDS, 1000);
        for (Relay.RelayedCall call : calls) {
            relay.tearDown(call);
        }
        return r;
    }

    private static void assertDelivered(LoadGenerator.StepResult r) {
        // on a loaded machine the generator may skip overdue packets instead of bursting them: count those too
        assertThat(r.sent() + r.skipped() + r.sendRefused()).as(r.toString()).isEqualTo(CALLS * 2 * 50L * SECONDS);
        assertThat(r.sent()).isPositive();
        assertThat(r.received()).as(r.toString()).isEqualTo(r.sent());
        assertThat(r.lost()).isZero();
        assertThat(r.misrouted()).isZero();
        assertThat(r.unknown()).isZero();
        assertThat(r.srtpFailures()).isZero();
    }
}
