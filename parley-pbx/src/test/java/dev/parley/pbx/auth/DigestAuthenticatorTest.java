package dev.parley.pbx.auth;

import static dev.parley.pbx.auth.TestSip.REALM;
import static dev.parley.pbx.auth.TestSip.nonceOf;
import static dev.parley.pbx.auth.TestSip.register;
import static dev.parley.pbx.auth.TestSip.text;
import static dev.parley.pbx.auth.TestSip.withCredentials;
import static dev.parley.pbx.auth.TestSip.withResponse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.security.MutableClock;
import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {
    private static final String PASSWORD = "Xq7-secret_of_101";
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryDeviceRepository devices = new InMemoryDeviceRepository();
    private final Device device = new Device(DeviceId.random(), UserId.random(), "101", SipSecret.of(PASSWORD), "desk");
    private final DigestAuthenticator auth;

    DigestAuthenticatorTest() {
        devices.save(device);
        auth = new DigestAuthenticator(DigestPolicy.of(REALM), devices, clock, new SecureRandom());
    }

    private SipResponse firstChallenge(SipRequest request) {
        AuthResult r = auth.authenticate(request);
        assertThat(r).isInstanceOf(AuthResult.Challenged.class);
        assertThat(((AuthResult.Challenged) r).reason()).isEqualTo(ChallengeReason.NO_CREDENTIALS);
        return ((AuthResult.Challenged) r).response();
    }

    private static AuthResult.Challenged challenged(AuthResult r, ChallengeReason reason) {
        assertThat(r).isInstanceOf(AuthResult.Challenged.class);
        AuthResult.Challenged c = (AuthResult.Challenged) r;
        assertThat(c.reason()).isEqualTo(reason);
        return c;
    }

    /** Masks what differs between any two challenges by design: the nonce and the To tag. */
    private static String masked(SipResponse response) {
        return text(response).replaceAll("nonce=\"[^\"]*\"", "nonce=\"N\"").replaceAll(";tag=[0-9a-f]+\r\n",
                ";tag=T\r\n");
    }

    @Test
    void rfc3261_22_1_registerIsChallengedWith401AndOneWwwAuthenticatePerAlgorithmSha256First() {
        SipResponse r = firstChallenge(register("101", "c1", 1, "Contact: <sip:101@192.168.1.10>"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.reason()).isEqualTo("Unauthorized");
        assertThat(r.to().tag()).isNotNull();
        assertThat(r.wwwAuthenticates()).hasSize(2);
        Challenge sha = r.wwwAuthenticates().get(0);
        Challenge md5 = r.wwwAuthenticates().get(1);
        assertThat(sha.algorithm()).isEqualTo("SHA-256"); // RFC 8760 §2.4: preferred first
        assertThat(md5.algorithm()).isEqualTo("MD5");
        for (Challenge c : r.wwwAuthenticates()) {
            assertThat(c.realm()).isEqualTo(REALM);
            assertThat(c.qop()).isEqualTo("auth");
            assertThat(c.stale()).isFalse();
        }
        assertThat(sha.nonce()).isEqualTo(md5.nonce());
        assertThat(text(r)).contains("WWW-Authenticate: Digest realm=\"pbx.example\", nonce=\"" + sha.nonce()
                + "\", algorithm=SHA-256, qop=\"auth\"\r\n");
    }

    @Test
    void rfc3261_22_3_otherRequestsAreChallengedWith407ProxyAuthenticate() {
        AuthResult.Challenged c = challenged(auth.authenticate(TestSip.invite("101", "i1")),
                ChallengeReason.NO_CREDENTIALS);
        assertThat(c.response().status()).isEqualTo(407);
        assertThat(c.response().proxyAuthenticates()).extracting(Challenge::algorithm).containsExactly("SHA-256",
                "MD5");
        assertThat(c.response().wwwAuthenticates()).isEmpty();
    }

    @Test
    void rfc3261_22_1_ackAndCancelAreNeverChallenged() {
        SipRequest invite = TestSip.invite("101", "i2");
        SipRequest ack = invite.toBuilder().method("ACK").cseq(new dev.parley.sip.header.CSeq(1, "ACK")).build();
        assertThatThrownBy(() -> auth.authenticate(ack)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rfc8760_sha256CredentialsComputedIndependentlyAreAccepted() throws Exception {
        SipRequest first = register("101", "c1", 1);
        String nonce = nonceOf(firstChallenge(first));
        // computed here with MessageDigest directly, not with the Digest class under the authenticator
        String ha1 = sha256("101:" + REALM + ":" + PASSWORD);
        String ha2 = sha256("REGISTER:sip:pbx.example");
        String response = sha256(ha1 + ":" + nonce + ":00000001:0a4f113b:auth:" + ha2);
        AuthResult r = auth.authenticate(withResponse(register("101", "c1", 2), DigestAlgorithm.SHA_256, "101",
                nonce, "00000001", "0a4f113b", response));
        assertThat(r).isEqualTo(new AuthResult.Authenticated(device, DigestAlgorithm.SHA_256));
    }

    @Test
    void rfc2617_md5CredentialsAreAccepted() {
        String nonce = nonceOf(firstChallenge(register("101", "c1", 1)));
        AuthResult r = auth.authenticate(withCredentials(register("101", "c1", 2), DigestAlgorithm.MD5, "101",
                PASSWORD, nonce, "00000001", "abcdef"));
        assertThat(r).isEqualTo(new AuthResult.Authenticated(device, DigestAlgorithm.MD5));
    }

    @Test
    void uppercaseHexResponseIsAccepted() {
        String nonce = nonceOf(firstChallenge(register("101", "c1", 1)));
        SipRequest req = register("101", "c1", 2);
        String ha1 = Digest.ha1(DigestAlgorithm.MD5, "101", REALM, PASSWORD);
        String resp = Digest.response(DigestAlgorithm.MD5, ha1, nonce, "00000001", "x", "auth",
                Digest.ha2(DigestAlgorithm.MD5, "REGISTER", "sip:pbx.example"));
        assertThat(auth.authenticate(withResponse(req, DigestAlgorithm.MD5, "101", nonce, "00000001", "x",
                resp.toUpperCase()))).isInstanceOf(AuthResult.Authenticated.class);
    }

    @Test
    void wrongPasswordIsAFailureAnsweredWithTheFirstChallengeAgain() {
        SipResponse first = firstChallenge(register("101", "c1", 1));
        AuthResult.Challenged c = challenged(auth.authenticate(withCredentials(register("101", "c1", 2),
                DigestAlgorithm.SHA_256, "101", "wrong-password", nonceOf(first), "00000001", "abc")),
                ChallengeReason.WRONG_CREDENTIALS);
        assertThat(c.reason().isFailure()).isTrue();
        assertThat(c.claimedUsername()).isEqualTo("101");
        assertThat(nonceOf(c.response())).isNotEqualTo(nonceOf(first));
        assertThat(masked(c.response())).isEqualTo(masked(firstChallenge(register("101", "c1", 2))));
    }

    @Test
    void noUserEnumeration_firstChallengeIsTheSameBytesForKnownAndUnknownUsers() {
        SipResponse known = firstChallenge(register("101", "c1", 1, "Contact: <sip:u@192.168.1.10>"));
        SipResponse unknown = firstChallenge(register("999", "c1", 1, "Contact: <sip:u@192.168.1.10>"));
        // the requests differ only in the AOR user, which every response echoes in From and To
        assertThat(masked(unknown).replace("sip:999@", "sip:101@")).isEqualTo(masked(known));
    }

    @Test
    void noUserEnumeration_failedAttemptIsTheSameBytesForKnownAndUnknownUsers() {
        String n1 = nonceOf(firstChallenge(register("101", "c1", 1)));
        String n2 = nonceOf(firstChallenge(register("101", "c1", 1)));
        AuthResult.Challenged wrongPassword = challenged(auth.authenticate(withCredentials(register("101", "c1", 2),
                DigestAlgorithm.SHA_256, "101", "guess-1", n1, "00000001", "abc")), ChallengeReason.WRONG_CREDENTIALS);
        AuthResult.Challenged unknownUser = challenged(auth.authenticate(withCredentials(register("101", "c1", 2),
                DigestAlgorithm.SHA_256, "999", "guess-1", n2, "00000001", "abc")), ChallengeReason.WRONG_CREDENTIALS);
        assertThat(masked(unknownUser.response())).isEqualTo(masked(wrongPassword.response()));
        assertThat(unknownUser.reason().isFailure()).isEqualTo(wrongPassword.reason().isFailure()).isTrue();

        // and when the unknown user also registers its own AOR
        AuthResult.Challenged unknownOwnAor = challenged(auth.authenticate(withCredentials(register("999", "c1", 2),
                DigestAlgorithm.MD5, "999", "guess-1", nonceOf(firstChallenge(register("999", "c1", 1))), "00000001",
                "abc")), ChallengeReason.WRONG_CREDENTIALS);
        assertThat(masked(unknownOwnAor.response()).replace("sip:999@", "sip:101@"))
                .isEqualTo(masked(wrongPassword.response()));
    }

    @Test
    void rfc7616_3_3_staleNonceWithCorrectResponseIsRechallengedWithStaleTrue() {
        String nonce = nonceOf(firstChallenge(register("101", "c1", 1)));
        clock.advance(Duration.ofSeconds(301));
        AuthResult.Challenged c = challenged(auth.authenticate(withCredentials(register("101", "c1", 2),
                DigestAlgorithm.SHA_256, "101", PASSWORD, nonce, "00000001", "abc")), ChallengeReason.STALE_NONCE);
        assertThat(c.reason().isFailure()).isFalse();
        assertThat(c.response().wwwAuthenticates()).hasSize(2).allSatisfy(ch -> assertThat(ch.stale()).isTrue());
        assertThat(text(c.response())).contains(", stale=true, algorithm=SHA-256");
        // the fresh nonce works
        assertThat(auth.authenticate(withCredentials(register("101", "c1", 3), DigestAlgorithm.SHA_256, "101",
                PASSWORD, nonceOf(c.response()), "00000001", "abc"))).isInstanceOf(AuthResult.Authenticated.class);
    }

    @Test
    void rfc7616_3_3_staleNonceWithWrongResponseIsAPlainFailureWithoutStale() {
        String nonce = nonceOf(firstChallenge(register("101", "c1", 1)));
        clock.advance(Duration.ofSeconds(301));
        AuthResult.Challenged c = challenged(auth.authenticate(withCredentials(register("101", "c1", 2),
                DigestAlgorithm.SHA_256, "101", "wrong", nonce, "00000001", "abc")), ChallengeReason.WRONG_CREDENTIALS);
        assertThat(c.response().wwwAuthenticates()).allSatisfy(ch -> assertThat(ch.stale()).isFalse());
    }

    @Test
    void rfc7616_5_replayedNonceAndCountIsRefused() {
        String nonce = nonceOf(firstChallenge(register("101", "c1", 1)));
        SipRequest signed = withCredentials(register("101", "c1", 2), DigestAlgorithm.SHA_256, "101", PASSWORD, nonce,
                "00000001", "abc");
        assertThat(auth.authenticate(signed)).isInstanceOf(AuthResult.Authenticated.class);
        AuthResult.Challenged replay = challenged(auth.authenticate(signed), ChallengeReason.REPLAYED_NONCE);
        assertThat(replay.reason().isFailure()).isFalse();
        assertThat(replay.response().wwwAuthenticates()).allSatisfy(ch -> assertThat(ch.stale()).isTrue());
        // the client's next request with the same nonce and a higher count is fine; a lower one is not
        assertThat(auth.authenticate(withCredentials(register("101", "c1", 3), DigestAlgorithm.SHA_256, "101",
                PASSWORD, nonce, "00000002", "abd"))).isInstanceOf(AuthResult.Authenticated.class);
        challenged(auth.authenticate(withCredentials(register("101", "c1", 4), DigestAlgorithm.SHA_256, "101",
                PASSWORD, nonce, "00000001", "abe")), ChallengeReason.REPLAYED_NONCE);
    }

    @Test
    void forgedNonceIsRefusedEvenWithAResponseThatMatchesIt() {
        String real = nonceOf(firstChallenge(register("101", "c1", 1)));
        char last = real.charAt(real.length() - 1);
        String forged = real.substring(0, real.length() - 1) + (last == 'A' ? 'B' : 'A');
        AuthResult.Challenged c = challenged(auth.authenticate(withCredentials(register("101", "c1", 2),
                DigestAlgorithm.SHA_256, "101", PASSWORD, forged, "00000001", "abc")), ChallengeReason.INVALID_NONCE);
        assertThat(c.reason().isFailure()).isFalse();
        assertThat(masked(c.response())).isEqualTo(masked(firstChallenge(register("101", "c1", 2))));
        challenged(auth.authenticate(withCredentials(register("101", "c1", 3), DigestAlgorithm.SHA_256, "101",
                PASSWORD, "bm90LWEtbm9uY2U", "00000001", "abc")), ChallengeReason.INVALID_NONCE);
    }

    @Test
    void rfc3261_22_4_qopAuthWithCnonceAndNcIsRequired() {
        String nonce = nonceOf(firstChallenge(register("101", "c1", 1)));
        // RFC 2069 style: no qop, response = KD(ha1, nonce:ha2)
        String ha1 = Digest.ha1(DigestAlgorithm.MD5, "101", REALM, PASSWORD);
        String old = Digest.responseWithoutQop(DigestAlgorithm.MD5, ha1, nonce,
                Digest.ha2(DigestAlgorithm.MD5, "REGISTER", "sip:pbx.example"));
        SipRequest noQop = TestSip.reparse(register("101", "c1", 2).toBuilder()
                .add("Authorization", "Digest username=\"101\", realm=\"" + REALM + "\", nonce=\"" + nonce
                        + "\", uri=\"sip:pbx.example\", response=\"" + old + "\", algorithm=MD5").build());
        challenged(auth.authenticate(noQop), ChallengeReason.WRONG_CREDENTIALS);
        challenged(auth.authenticate(withCredentials(register("101", "c1", 3), DigestAlgorithm.MD5, "101", PASSWORD,
                nonce, "1", "abc")), ChallengeReason.WRONG_CREDENTIALS);
    }

    @Test
    void rfc7616_3_3_algorithmNotOfferedIsRefused() {
        String nonce = nonceOf(firstChallenge(register("101", "c1", 1)));
        challenged(auth.authenticate(withCredentials(register("101", "c1", 2), DigestAlgorithm.SHA_512_256, "101",
                PASSWORD, nonce, "00000001", "abc")), ChallengeReason.WRONG_CREDENTIALS);
    }

    @Test
    void rfc3261_22_3_credentialsForAnotherRealmAreNoCredentials() {
        SipRequest other = TestSip.reparse(register("101", "c1", 2).toBuilder()
                .add("Authorization", "Digest username=\"101\", realm=\"elsewhere\", nonce=\"x\", uri=\"sip:a\","
                        + " response=\"00\"").build());
        challenged(auth.authenticate(other), ChallengeReason.NO_CREDENTIALS);
    }

    @Test
    void inviteIsAuthenticatedWithProxyAuthorization() {
        SipRequest invite = TestSip.invite("101", "i3");
        AuthResult.Challenged c = challenged(auth.authenticate(invite), ChallengeReason.NO_CREDENTIALS);
        assertThat(auth.authenticate(withCredentials(invite, DigestAlgorithm.SHA_256, "101", PASSWORD,
                nonceOf(c.response()), "00000001", "abc"))).isInstanceOf(AuthResult.Authenticated.class);
    }

    @Test
    void theLaneChallengeIsAuthenticatesFirstChallengeForKnownAndUnknownUsers() {
        for (Transport t : new Transport[] {null, Transport.UDP, Transport.WSS}) {
            SipRequest known = register("101", "l1", 1, "Contact: <sip:u@192.168.1.10>");
            SipResponse lane = auth.challengeWithoutCredentials(known, t);
            AuthResult.Challenged full = challenged(auth.authenticate(known, t), ChallengeReason.NO_CREDENTIALS);
            assertThat(masked(lane)).isEqualTo(masked(full.response()));
            SipResponse unknown = auth.challengeWithoutCredentials(register("999", "l1", 1,
                    "Contact: <sip:u@192.168.1.10>"), t);
            assertThat(masked(unknown).replace("sip:999@", "sip:101@")).isEqualTo(masked(lane));
            assertThat(nonceOf(lane)).isNotEqualTo(nonceOf(unknown)).isNotEqualTo(nonceOf(full.response()));
        }
        SipResponse invite = auth.challengeWithoutCredentials(TestSip.invite("101", "l2"), Transport.UDP);
        assertThat(invite.status()).isEqualTo(407);
        assertThat(invite.proxyAuthenticates()).extracting(Challenge::algorithm).containsExactly("SHA-256", "MD5");
        // the nonce it issues is one authenticate accepts
        assertThat(auth.authenticate(withCredentials(TestSip.invite("101", "l2"), DigestAlgorithm.MD5, "101",
                PASSWORD, invite.proxyAuthenticates().getFirst().nonce(), "00000001", "abc")))
                .isInstanceOf(AuthResult.Authenticated.class);
    }

    @Test
    void theLaneChallengeReadsNoDirectory() {
        // a lane must not block: the challenge is built from the realm, a fresh nonce and the request alone
        DeviceRepository untouchable = (DeviceRepository) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DeviceRepository.class}, (proxy, method, args) -> {
                    throw new AssertionError("the directory was read: " + method.getName());
                });
        DigestAuthenticator laneOnly = new DigestAuthenticator(DigestPolicy.of(REALM), untouchable, clock,
                new SecureRandom());
        assertThat(laneOnly.challengeWithoutCredentials(register("101", "l4", 1), Transport.UDP).status())
                .isEqualTo(401);
        assertThat(laneOnly.challengeWithoutCredentials(TestSip.invite("999", "l5"), Transport.TCP).status())
                .isEqualTo(407);
    }

    @Test
    void theLaneChallengeLeavesRequestsWithCredentialsForOurRealmToAuthenticate() {
        String nonce = nonceOf(firstChallenge(register("101", "l3", 1)));
        SipRequest wrong = withCredentials(register("999", "l3", 2), DigestAlgorithm.MD5, "999", "guess", nonce,
                "00000001", "abc");
        assertThat(auth.challengeWithoutCredentials(wrong, Transport.UDP)).isNull();
        SipRequest otherRealm = TestSip.reparse(register("101", "l3", 2).toBuilder()
                .add("Authorization", "Digest username=\"101\", realm=\"elsewhere\", nonce=\"x\", uri=\"sip:a\","
                        + " response=\"00\"").build());
        assertThat(auth.challengeWithoutCredentials(otherRealm, Transport.UDP)).as("no credentials for our realm")
                .isNotNull();
    }

    @Test
    void precomputedChallengeTextIsWhatChallengeDigestWrites() {
        DigestAuthenticator quoted = new DigestAuthenticator(DigestPolicy.of("pbx \"main\" \\ office"), devices,
                clock, new SecureRandom());
        for (boolean stale : new boolean[] {false, true}) {
            SipResponse r = quoted.challenge(register("101", "p1", 1), stale);
            for (Challenge c : r.wwwAuthenticates()) {
                assertThat(text(r)).contains("WWW-Authenticate: " + Challenge.digest("pbx \"main\" \\ office",
                        c.nonce(), c.algorithm(), "auth", null, stale) + "\r\n");
                assertThat(c.realm()).isEqualTo("pbx \"main\" \\ office");
                assertThat(c.stale()).isEqualTo(stale);
            }
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8)));
    }

    @Test
    void overWebSocketMd5AloneBecauseJsSipKeepsTheLastChallengeAndOthersTheFirst() {
        for (Transport t : List.of(Transport.WSS, Transport.WS)) {
            AuthResult.Challenged reg = challenged(auth.authenticate(register("101", "w1", 1), t),
                    ChallengeReason.NO_CREDENTIALS);
            assertThat(reg.response().wwwAuthenticates()).extracting(Challenge::algorithm)
                    .containsExactly("MD5");
            AuthResult.Challenged inv = challenged(auth.authenticate(TestSip.invite("101", "w2"), t),
                    ChallengeReason.NO_CREDENTIALS);
            assertThat(inv.response().proxyAuthenticates()).extracting(Challenge::algorithm)
                    .containsExactly("MD5");
        }
    }

    @Test
    void rfc8760_2_4_overUdpTcpAndTlsSha256StaysFirst() {
        for (Transport t : List.of(Transport.UDP, Transport.TCP, Transport.TLS)) {
            AuthResult.Challenged c = challenged(auth.authenticate(register("101", "d1", 1), t),
                    ChallengeReason.NO_CREDENTIALS);
            assertThat(c.response().wwwAuthenticates()).extracting(Challenge::algorithm)
                    .containsExactly("SHA-256", "MD5");
        }
    }

    @Test
    void aWebSocketClientThatTakesOneChallengeRegistersWithMd5() {
        // what JsSIP 3.13 does: one WWW-Authenticate header's nonce and algorithm (the last), MD5 only
        SipResponse first = challenged(auth.authenticate(register("101", "j1", 1), Transport.WSS),
                ChallengeReason.NO_CREDENTIALS).response();
        Challenge top = first.wwwAuthenticates().get(0);
        assertThat(top.algorithm()).isEqualTo("MD5");
        AuthResult r = auth.authenticate(withCredentials(register("101", "j1", 2), DigestAlgorithm.MD5, "101",
                PASSWORD, top.nonce(), "00000001", "js"), Transport.WSS);
        assertThat(r).isEqualTo(new AuthResult.Authenticated(device, DigestAlgorithm.MD5));
        // and SHA-256 is still accepted over WSS from a client that prefers it
        AuthResult sha = auth.authenticate(withCredentials(register("101", "j1", 3), DigestAlgorithm.SHA_256, "101",
                PASSWORD, top.nonce(), "00000002", "js"), Transport.WSS);
        assertThat(sha).isEqualTo(new AuthResult.Authenticated(device, DigestAlgorithm.SHA_256));
    }

    @Test
    void overWebSocketRefusalsAndStaleChallengesAreMd5AndDoNotEnumerateUsers() {
        AuthResult.Challenged wrong = challenged(auth.authenticate(withCredentials(register("101", "s1", 2),
                DigestAlgorithm.MD5, "101", "guess", nonceOf(firstChallenge(register("101", "s1", 1))), "00000001",
                "abc"), Transport.WSS), ChallengeReason.WRONG_CREDENTIALS);
        AuthResult.Challenged unknown = challenged(auth.authenticate(withCredentials(register("101", "s1", 2),
                DigestAlgorithm.MD5, "999", "guess", nonceOf(firstChallenge(register("101", "s1", 1))), "00000001",
                "abc"), Transport.WSS), ChallengeReason.WRONG_CREDENTIALS);
        assertThat(wrong.response().wwwAuthenticates()).extracting(Challenge::algorithm)
                .containsExactly("MD5");
        assertThat(masked(unknown.response())).isEqualTo(masked(wrong.response()));

        String nonce = nonceOf(firstChallenge(register("101", "s2", 1)));
        clock.advance(Duration.ofSeconds(301));
        AuthResult.Challenged stale = challenged(auth.authenticate(withCredentials(register("101", "s2", 2),
                DigestAlgorithm.MD5, "101", PASSWORD, nonce, "00000001", "abc"), Transport.WSS),
                ChallengeReason.STALE_NONCE);
        assertThat(stale.response().wwwAuthenticates()).extracting(Challenge::algorithm)
                .containsExactly("MD5");
        assertThat(stale.response().wwwAuthenticates()).allSatisfy(ch -> assertThat(ch.stale()).isTrue());
    }

    @Test
    void webSocketChallengeIsMd5OnlyWhenMd5IsConfigured() {
        DigestPolicy shaOnly = DigestPolicy.of(REALM).withAlgorithms(List.of(DigestAlgorithm.SHA_256));
        assertThat(shaOnly.challengeOrder(Transport.WSS)).containsExactly(DigestAlgorithm.SHA_256);
        DigestPolicy three = DigestPolicy.of(REALM).withAlgorithms(List.of(DigestAlgorithm.SHA_512_256,
                DigestAlgorithm.SHA_256, DigestAlgorithm.MD5));
        assertThat(three.challengeOrder(Transport.WSS)).containsExactly(DigestAlgorithm.MD5);
        assertThat(three.challengeOrder(Transport.TLS)).containsExactly(DigestAlgorithm.SHA_512_256,
                DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
        DigestPolicy md5First = DigestPolicy.of(REALM).withAlgorithms(List.of(DigestAlgorithm.MD5,
                DigestAlgorithm.SHA_256));
        assertThat(md5First.challengeOrder(Transport.UDP)).containsExactly(DigestAlgorithm.MD5,
                DigestAlgorithm.SHA_256);
        // the one-argument methods keep the configured order
        assertThat(auth.challenge(register("101", "o1", 1), false).wwwAuthenticates()).extracting(Challenge::algorithm)
                .containsExactly("SHA-256", "MD5");
        assertThat(auth.challenge(register("101", "o1", 1), false, Transport.WSS).wwwAuthenticates())
                .extracting(Challenge::algorithm).containsExactly("MD5");
    }
}
