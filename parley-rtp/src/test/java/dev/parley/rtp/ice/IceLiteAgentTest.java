package dev.parley.rtp.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.VirtualScheduler;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.stun.StunAttribute;
import dev.parley.rtp.stun.StunClass;
import dev.parley.rtp.stun.StunKey;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunStatus;
import dev.parley.rtp.stun.StunWriter;
import dev.parley.rtp.stun.TransportAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The controlled ICE-lite agent in virtual time: RFC 8445 §7.3, RFC 8489 §9.1.3, RFC 7675. */
class IceLiteAgentTest {
    private static final IceCredentials LOCAL = new IceCredentials("Pa1r", "ParleyLocalPassword+/22");
    private static final String REMOTE_UFRAG = "brow";
    private static final TransportAddress BROWSER = TransportAddress.ipv4(192, 0, 2, 10, 50_000);
    private static final TransportAddress BROWSER_RELAY = TransportAddress.ipv4(198, 51, 100, 7, 3478);

    private final VirtualScheduler time = new VirtualScheduler();
    private final List<String> events = new ArrayList<>();
    private final List<TransportAddress> validated = new ArrayList<>();
    private final IceLiteAgent agent = new IceLiteAgent(LOCAL, IceLiteSettings.defaults(), time,
            new IceLiteAgent.Listener() {
                @Override
                public void onPairValidated(TransportAddress remote) {
                    validated.add(remote);
                }

                @Override
                public void onPairSelected(TransportAddress remote) {
                    events.add("selected " + remote + " at " + time.elapsed().toMillis());
                }

                @Override
                public void onConsentExpired(TransportAddress remote) {
                    events.add("expired " + remote + " at " + time.elapsed().toMillis());
                }
            });
    private final PacketBuffer response = new PacketBuffer(new byte[1500], 0, 0);
    private final StunMessage answer = new StunMessage();

    private Checks browser() {
        return new Checks(LOCAL.ufrag(), REMOTE_UFRAG, LOCAL.password());
    }

    private IceCheckOutcome send(byte[] check, TransportAddress from) {
        IceCheckOutcome outcome = agent.receive(check, 0, check.length, from, response);
        if (outcome.hasResponse()) {
            assertThat(answer.wrap(response.array(), response.offset(), response.length())).isEqualTo(StunStatus.OK);
            assertThat(answer.transactionId()).isEqualTo(Arrays.copyOfRange(check, 8, 20));
            assertThat(answer.hasFingerprint()).as("RFC 8445 §7.3: responses carry FINGERPRINT").isTrue();
        }
        return outcome;
    }

    private boolean answerSignedWithLocalPassword() {
        return StunKey.shortTerm(LOCAL.password()).verify(answer).ok();
    }

    @Test
    void section7_3_aValidCheckIsAnsweredWithTheSourceAsXorMappedAddress() {
        assertThat(send(browser().build(), BROWSER)).isEqualTo(IceCheckOutcome.ANSWERED);

        assertThat(answer.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(answer.method()).isEqualTo(StunMessage.BINDING);
        assertThat(answer.xorMappedAddress()).isEqualTo(BROWSER);
        assertThat(StunKey.shortTerm(LOCAL.password()).verify(answer)).isEqualTo(StunKey.IntegrityCheck.OK_SHA1);
        assertThat(StunKey.shortTerm("ParleyLocalPassword+/23").verify(answer).ok()).isFalse();
        assertThat(events).as("no USE-CANDIDATE, no selection").isEmpty();
        assertThat(agent.state()).isEqualTo(IceLiteAgent.State.WAITING);
    }

    @Test
    void anIpv6SourceIsMappedToo() {
        TransportAddress v6 = TransportAddress.of(
                dev.parley.rtp.stun.Vectors.hex("2001 0db8 0000 0000 0000 0000 0000 0042"), 61000);
        assertThat(send(browser().build(), v6)).isEqualTo(IceCheckOutcome.ANSWERED);
        assertThat(answer.xorMappedAddress()).isEqualTo(v6);
        assertThat(answerSignedWithLocalPassword()).isTrue();
    }

    @Test
    void rfc8489_9_1_4_aSha256CheckGetsASha256Answer() {
        assertThat(send(browser().sha256(true).build(), BROWSER)).isEqualTo(IceCheckOutcome.ANSWERED);
        assertThat(answer.hasMessageIntegritySha256()).isTrue();
        assertThat(answer.hasMessageIntegrity()).isFalse();
        assertThat(StunKey.shortTerm(LOCAL.password()).verify(answer)).isEqualTo(StunKey.IntegrityCheck.OK_SHA256);
    }

    @Test
    void theResponseIsWrittenAtTheBuffersOffset() {
        PacketBuffer shifted = new PacketBuffer(new byte[200], 40, 0);
        byte[] check = browser().build();
        assertThat(agent.receive(check, 0, check.length, BROWSER, shifted)).isEqualTo(IceCheckOutcome.ANSWERED);
        assertThat(shifted.offset()).isEqualTo(40);
        assertThat(answer.wrap(shifted.array(), 40, shifted.length())).isEqualTo(StunStatus.OK);
        assertThat(answer.xorMappedAddress()).isEqualTo(BROWSER);
        PacketBuffer tooSmall = new PacketBuffer(40);
        assertThat(agent.receive(check, 0, check.length, BROWSER, tooSmall).hasResponse()).isFalse();
    }

    @Test
    void rfc8489_9_1_3_aWrongPasswordGets401WithoutIntegrityAndChangesNothing() {
        byte[] forged = browser().password("SomeoneElsesPassword+/22").useCandidate(true).build();
        assertThat(send(forged, BROWSER)).isEqualTo(IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        assertThat(answer.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(answer.errorCode()).isEqualTo(401);
        assertThat(answer.hasMessageIntegrity()).as("no key the peer proved to know").isFalse();
        assertThat(response.length()).isLessThanOrEqualTo(forged.length);
        assertThat(events).isEmpty();
        assertThat(agent.selected()).isNull();
    }

    @Test
    void rfc8489_9_1_3_aWrongUsernameGets401() {
        assertThat(send(browser().username("nope:" + REMOTE_UFRAG).build(), BROWSER))
                .isEqualTo(IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        assertThat(send(browser().username(LOCAL.ufrag()).build(), BROWSER))
                .isEqualTo(IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        assertThat(send(browser().username(LOCAL.ufrag() + ":").build(), BROWSER))
                .isEqualTo(IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        assertThat(answer.errorCode()).isEqualTo(401);
    }

    @Test
    void theRemoteUfragIsEnforcedOnceKnown() {
        byte[] other = browser().username(LOCAL.ufrag() + ":else").build();
        assertThat(send(other, BROWSER)).as("checks may overtake the SDP answer").isEqualTo(IceCheckOutcome.ANSWERED);
        agent.remoteUfrag(REMOTE_UFRAG);
        assertThat(send(browser().username(LOCAL.ufrag() + ":else").build(), BROWSER))
                .isEqualTo(IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        assertThat(send(browser().username(LOCAL.ufrag() + ":brows").build(), BROWSER))
                .isEqualTo(IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        assertThat(send(browser().build(), BROWSER)).isEqualTo(IceCheckOutcome.ANSWERED);
    }

    @Test
    void rfc8489_9_1_3_missingUsernameOrIntegrityGets400() {
        assertThat(send(browser().username(null).build(), BROWSER)).isEqualTo(IceCheckOutcome.BAD_REQUEST_ANSWERED);
        assertThat(answer.errorCode()).isEqualTo(400);
        assertThat(send(browser().integrity(false).build(), BROWSER)).isEqualTo(IceCheckOutcome.BAD_REQUEST_ANSWERED);
        assertThat(answer.hasMessageIntegrity()).isFalse();
    }

    @Test
    void rfc8489_6_3_1_unknownComprehensionRequiredAttributesGet420() {
        assertThat(send(browser().extraAttribute(0x7ABC).build(), BROWSER))
                .isEqualTo(IceCheckOutcome.UNKNOWN_ATTRIBUTE_ANSWERED);
        assertThat(answer.errorCode()).isEqualTo(420);
        assertThat(answerSignedWithLocalPassword()).isTrue();
        // Comprehension-optional attributes (Chrome's GOOG-NETWORK-INFO 0xC057) are ignored.
        assertThat(send(browser().extraAttribute(0xC057).build(), BROWSER)).isEqualTo(IceCheckOutcome.ANSWERED);
    }

    @Test
    void section7_3_1_1_aPeerClaimingControlledToo_gets487AndTheLiteAgentStaysControlled() {
        byte[] conflict = browser().controlled(true).useCandidate(true).build();
        assertThat(send(conflict, BROWSER)).isEqualTo(IceCheckOutcome.ROLE_CONFLICT_ANSWERED);
        assertThat(answer.errorCode()).isEqualTo(487);
        assertThat(answer.errorReason()).isEqualTo("Role Conflict");
        assertThat(answerSignedWithLocalPassword()).as("authenticated request, authenticated error").isTrue();
        assertThat(events).as("a check answered 487 does not nominate").isEmpty();

        // RFC 8445 §7.2.5.1: the full peer switches to controlling and checks again; that works.
        assertThat(send(browser().useCandidate(true).build(), BROWSER)).isEqualTo(IceCheckOutcome.ANSWERED);
        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0");
    }

    @Test
    void aRoleConflictWithAWrongPasswordIsJust401() {
        assertThat(send(browser().controlled(true).password("SomeoneElsesPassword+/22").build(), BROWSER))
                .isEqualTo(IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
    }

    @Test
    void indicationsResponsesOtherMethodsAndGarbageAreNotAnswered() {
        byte[] tx = new byte[12];
        byte[] out = new byte[100];
        int n = new StunWriter().begin(out, 0, 100, StunClass.INDICATION.type(StunMessage.BINDING), tx, 0)
                .fingerprint().finish();
        assertThat(send(Arrays.copyOf(out, n), BROWSER)).isEqualTo(IceCheckOutcome.INDICATION);
        n = new StunWriter().begin(out, 0, 100, StunClass.SUCCESS_RESPONSE.type(StunMessage.BINDING), tx, 0)
                .xorMappedAddress(BROWSER).finish();
        assertThat(send(Arrays.copyOf(out, n), BROWSER)).isEqualTo(IceCheckOutcome.IGNORED);
        n = new StunWriter().begin(out, 0, 100, StunClass.REQUEST.type(0x003), tx, 0) // TURN Allocate
                .text(StunAttribute.USERNAME, LOCAL.ufrag() + ":" + REMOTE_UFRAG).finish();
        assertThat(send(Arrays.copyOf(out, n), BROWSER)).isEqualTo(IceCheckOutcome.IGNORED);
        byte[] check = browser().build();
        check[check.length - 1] ^= 1; // FINGERPRINT broken
        assertThat(send(check, BROWSER)).isEqualTo(IceCheckOutcome.MALFORMED);
        assertThat(send(new byte[] {(byte) 0x80, 0, 0, 1}, BROWSER)).isEqualTo(IceCheckOutcome.MALFORMED);
    }

    @Test
    void rfc8445_12_1_eachSourceIsReportedValidOnceAndOnlyAfterItAuthenticated() {
        send(browser().password("SomeoneElsesPassword+/22").build(), BROWSER);
        send(browser().controlled(true).build(), BROWSER);
        assertThat(validated).isEmpty();
        send(browser().build(), BROWSER);
        send(browser().useCandidate(true).build(), BROWSER);
        send(browser().build(), BROWSER_RELAY);
        send(browser().build(), BROWSER);
        assertThat(validated).containsExactly(BROWSER, BROWSER_RELAY);
    }

    @Test
    void section7_3_1_5_useCandidateSelectsThePairOnce() {
        send(browser().build(), BROWSER);
        assertThat(events).isEmpty();
        assertThat(send(browser().useCandidate(true).build(), BROWSER)).isEqualTo(IceCheckOutcome.ANSWERED);
        time.advance(Duration.ofSeconds(5));
        send(browser().useCandidate(true).build(), BROWSER);
        send(browser().build(), BROWSER);

        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0");
        assertThat(agent.selected()).isEqualTo(BROWSER);
        assertThat(agent.state()).isEqualTo(IceLiteAgent.State.SELECTED);
    }

    @Test
    void theLastNominationWins_whateverItsPriority() {
        // Chromium nominates the pair it sends on and moves when that path fails: the last nomination is in force
        send(browser().priority(100).useCandidate(true).build(), BROWSER_RELAY);
        send(browser().priority(1000).useCandidate(true).build(), BROWSER);
        TransportAddress lower = TransportAddress.ipv4(203, 0, 113, 9, 40_000);
        time.advance(Duration.ofSeconds(3));
        send(browser().priority(500).useCandidate(true).build(), lower);

        assertThat(events).containsExactly("selected 198.51.100.7:3478 at 0", "selected 192.0.2.10:50000 at 0",
                "selected 203.0.113.9:40000 at 3000");
        assertThat(agent.selected()).isEqualTo(lower);
    }

    @Test
    void checksWithoutUseCandidateOnOtherPairsDoNotMoveTheSelection() {
        send(browser().priority(100).useCandidate(true).build(), BROWSER_RELAY);
        for (int i = 0; i < 5; i++) {
            time.advance(Duration.ofSeconds(2));
            send(browser().priority(1000).build(), BROWSER); // a better pair, checked, not nominated
            send(browser().priority(100).useCandidate(true).build(), BROWSER_RELAY);
        }
        assertThat(events).containsExactly("selected 198.51.100.7:3478 at 0");
    }

    @Test
    void section12_1_mediaFromAnotherValidFreshPairMovesTheSelectionAtOnce() {
        send(browser().priority(1000).useCandidate(true).build(), BROWSER);
        send(browser().priority(100).build(), BROWSER_RELAY); // valid, never nominated
        time.advance(Duration.ofSeconds(4));
        agent.mediaFrom(BROWSER); // the selected pair: nothing to do
        agent.mediaFrom(BROWSER_RELAY); // the browser moved its media there before nominating it

        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0", "selected 198.51.100.7:3478 at 4000");
        assertThat(agent.selected()).isEqualTo(BROWSER_RELAY);
        // the nomination that follows keeps it; the old pair's next plain check does not take it back
        time.advance(Duration.ofSeconds(2));
        send(browser().priority(100).useCandidate(true).build(), BROWSER_RELAY);
        send(browser().priority(1000).build(), BROWSER);
        assertThat(events).hasSize(2);
        // consent is now watched on the pair in use: it expires 30 s after that pair's last check
        time.advance(Duration.ofSeconds(30));
        assertThat(events).last().isEqualTo("expired 198.51.100.7:3478 at 36000");
    }

    @Test
    void mediaMovesNothingBeforeANominationNorFromAnUncheckedOrStalePair() {
        send(browser().build(), BROWSER_RELAY);
        agent.mediaFrom(BROWSER_RELAY); // valid but nothing nominated yet: Parley sends nowhere before one
        assertThat(events).isEmpty();

        send(browser().useCandidate(true).build(), BROWSER);
        agent.mediaFrom(TransportAddress.ipv4(203, 0, 113, 66, 4444)); // never checked: not a pair at all
        for (int i = 0; i < 7; i++) { // the relay's consent lapses while the selected pair keeps checking
            time.advance(Duration.ofSeconds(5));
            send(browser().build(), BROWSER);
        }
        agent.mediaFrom(BROWSER_RELAY);
        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0");
        assertThat(agent.selected()).isEqualTo(BROWSER);
    }

    @Test
    void rfc7675_consentExpiresExactlyAtTheTimeoutAfterTheLastValidCheck() {
        send(browser().useCandidate(true).build(), BROWSER);
        for (int i = 0; i < 6; i++) {
            time.advance(Duration.ofSeconds(5));
            assertThat(send(browser().build(), BROWSER)).isEqualTo(IceCheckOutcome.ANSWERED); // consent checks
        }
        // Last valid check at 30 s. Forged checks and checks from elsewhere do not refresh the selected pair.
        time.advance(Duration.ofSeconds(10));
        send(browser().password("SomeoneElsesPassword+/22").build(), BROWSER);
        send(browser().build(), BROWSER_RELAY);
        time.advance(Duration.ofMillis(19_999));
        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0");

        time.advance(Duration.ofMillis(1));
        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0", "expired 192.0.2.10:50000 at 60000");
        assertThat(agent.state()).isEqualTo(IceLiteAgent.State.CLOSED);
        assertThat(send(browser().useCandidate(true).build(), BROWSER)).isEqualTo(IceCheckOutcome.CLOSED);
        assertThat(time.pending()).isZero();
    }

    @Test
    void theConsentTimeoutIsASetting() {
        List<String> seen = new ArrayList<>();
        IceLiteAgent quick = new IceLiteAgent(LOCAL, IceLiteSettings.defaults().withConsentTimeout(Duration.ofSeconds(10)),
                time, new IceLiteAgent.Listener() {
                    @Override
                    public void onPairSelected(TransportAddress remote) {
                        seen.add("selected");
                    }

                    @Override
                    public void onConsentExpired(TransportAddress remote) {
                        seen.add("expired at " + time.elapsed().toMillis());
                    }
                });
        byte[] check = browser().useCandidate(true).build();
        quick.receive(check, 0, check.length, BROWSER, response);
        time.advance(Duration.ofSeconds(60));
        assertThat(seen).containsExactly("selected", "expired at 10000");
    }

    @Test
    void noConsentIsWatchedBeforeANomination() {
        send(browser().build(), BROWSER);
        time.advance(Duration.ofMinutes(5));
        assertThat(events).isEmpty();
        assertThat(agent.state()).isEqualTo(IceLiteAgent.State.WAITING);
        assertThat(time.pending()).isZero();
    }

    @Test
    void whenTheSelectedPairLosesConsentAFreshNominatedPairTakesOver() {
        send(browser().priority(100).useCandidate(true).build(), BROWSER_RELAY);
        send(browser().priority(1000).useCandidate(true).build(), BROWSER);
        for (int i = 0; i < 8; i++) { // the browser's host path dies; its relayed path keeps checking
            time.advance(Duration.ofSeconds(5));
            send(browser().priority(100).build(), BROWSER_RELAY);
        }
        assertThat(events).containsExactly("selected 198.51.100.7:3478 at 0", "selected 192.0.2.10:50000 at 0",
                "selected 198.51.100.7:3478 at 30000");
        assertThat(agent.state()).isEqualTo(IceLiteAgent.State.SELECTED);
        time.advance(Duration.ofSeconds(30));
        assertThat(events).last().isEqualTo("expired 198.51.100.7:3478 at 70000");
    }

    @Test
    void manyCandidatesDoNotGrowTheTableOrDropTheSelectedPair() {
        send(browser().useCandidate(true).build(), BROWSER);
        for (int i = 0; i < 100; i++) {
            send(browser().build(), TransportAddress.ipv4(10, 0, i / 256, i % 256, 40_000 + i));
        }
        time.advance(Duration.ofSeconds(4));
        send(browser().build(), BROWSER);
        time.advance(Duration.ofSeconds(29));
        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0");
        assertThat(agent.selected()).isEqualTo(BROWSER);
    }

    @Test
    void closeStopsTheTimerAndTheAnswers() {
        send(browser().useCandidate(true).build(), BROWSER);
        assertThat(time.pending()).isEqualTo(1);
        agent.close();
        assertThat(time.pending()).isZero();
        assertThat(send(browser().build(), BROWSER)).isEqualTo(IceCheckOutcome.CLOSED);
        time.advance(Duration.ofMinutes(1));
        assertThat(events).containsExactly("selected 192.0.2.10:50000 at 0");
    }

    @Test
    void fuzzedChecksNeverThrowAndOnlyAuthenticOnesAreAnswered() {
        SplittableRandom random = new SplittableRandom(7675);
        byte[][] seeds = {browser().build(), browser().useCandidate(true).build(), browser().controlled(true).build(),
            browser().sha256(true).build(), browser().extraAttribute(0x7777).build()};
        for (int i = 0; i < 50_000; i++) {
            byte[] b = seeds[random.nextInt(seeds.length)].clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            }
            if (random.nextBoolean()) {
                b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            }
            IceCheckOutcome outcome = agent.receive(b, 0, b.length, BROWSER, response);
            if (outcome == IceCheckOutcome.ANSWERED) {
                // Answered only if still authentic: flips that cancel out, or in FINGERPRINT's own type octets
                // (which turn it into an ignored attribute after MESSAGE-INTEGRITY).
                StunMessage check = new StunMessage();
                assertThat(check.wrap(b, 0, b.length)).isEqualTo(StunStatus.OK);
                assertThat(StunKey.shortTerm(LOCAL.password()).verify(check).ok()).isTrue();
            }
        }
    }

    @Test
    void toStringShowsNoPassword() {
        assertThat(agent.toString()).doesNotContain(LOCAL.password());
        assertThat(LOCAL.toString()).doesNotContain(LOCAL.password()).contains("redacted");
    }
}
