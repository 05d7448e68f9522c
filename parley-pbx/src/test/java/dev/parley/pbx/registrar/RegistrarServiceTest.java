package dev.parley.pbx.registrar;

import static dev.parley.pbx.auth.TestSip.nonceOf;
import static dev.parley.pbx.auth.TestSip.register;
import static dev.parley.pbx.auth.TestSip.withCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.auth.DigestAuthenticator;
import dev.parley.pbx.auth.DigestPolicy;
import dev.parley.pbx.auth.TestSip;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.pbx.security.BanPolicy;
import dev.parley.pbx.security.Bans;
import dev.parley.pbx.security.MutableClock;
import dev.parley.pbx.security.SecurityLogCapture;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistrarServiceTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryDeviceRepository devices = new InMemoryDeviceRepository();
    private final Device phone = Device.create(UserId.random(), "101", "desk");
    private final SecurityLogCapture log = new SecurityLogCapture();
    private final RegistrarService service;
    private final TestFlow attacker = TestFlow.udp("127.0.0.1", 5099); // loopback: bans must work there too
    private final TestFlow office = TestFlow.udp("198.51.100.20", 5060);

    RegistrarServiceTest() {
        devices.save(phone);
        DigestAuthenticator auth = new DigestAuthenticator(DigestPolicy.of(TestSip.REALM), devices, clock,
                new SecureRandom());
        Registrar registrar = new Registrar(RegistrarPolicy.defaults(), new InMemoryBindingRepository(),
                new InMemoryExtensionRepository(), clock);
        service = new RegistrarService(auth, registrar, new Bans(BanPolicy.defaults(), clock));
    }

    @AfterEach
    void detach() {
        log.close();
    }

    private SipResponse respond(SipRequest r, TestFlow from) {
        RegistrarService.Action a = service.handle(r, from);
        assertThat(a).isInstanceOf(RegistrarService.Action.Respond.class);
        return ((RegistrarService.Action.Respond) a).response();
    }

    /** Challenge, then answer it: what a phone does. */
    private RegistrarService.Action registerWith(TestFlow from, String user, String password, String callId) {
        SipResponse challenge = respond(register(user, callId, 1, "Contact: <sip:101@10.0.0.5>"), from);
        assertThat(challenge.status()).isEqualTo(401);
        return service.handle(withCredentials(register(user, callId, 2, "Contact: <sip:101@10.0.0.5>"),
                DigestAlgorithm.SHA_256, user, password, nonceOf(challenge), "00000001", "c0ffee"), from);
    }

    @Test
    void challengeThenRegister() {
        RegistrarService.Action a = registerWith(office, "101", phone.secret().reveal(), "ok");
        assertThat(a).isInstanceOf(RegistrarService.Action.Respond.class);
        SipResponse ok = ((RegistrarService.Action.Respond) a).response();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.contacts()).hasSize(1);
        assertThat(service.registrar().lookup("101")).hasSize(1);
        assertThat(office.authenticated()).isTrue();
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void sixthFailureFromOneSourceGetsNoAnswerAndAnotherSourceStillRegisters() {
        for (int i = 1; i <= 5; i++) {
            RegistrarService.Action a = registerWith(attacker, "101", "guess-" + i, "g" + i);
            assertThat(a).as("failure %d is answered", i).isInstanceOf(RegistrarService.Action.Respond.class);
            assertThat(((RegistrarService.Action.Respond) a).response().status()).isEqualTo(401);
        }
        // the sixth attempt — even its unauthenticated first request, even the right password — is dropped
        assertThat(service.handle(register("101", "g6", 1, "Contact: <sip:101@10.0.0.5>"), attacker))
                .isInstanceOf(RegistrarService.Action.Drop.class);
        assertThat(service.handle(withCredentials(register("101", "g6", 2), DigestAlgorithm.SHA_256, "101",
                phone.secret().reveal(), "AAAA", "00000001", "x"), attacker))
                .isInstanceOf(RegistrarService.Action.Drop.class);

        RegistrarService.Action other = registerWith(office, "101", phone.secret().reveal(), "office");
        assertThat(((RegistrarService.Action.Respond) other).response().status()).isEqualTo(200);

        assertThat(attacker.authenticated()).isFalse();
        assertThat(log.events("auth_failure")).hasSize(5).allSatisfy(m -> {
            assertThat(m.get("src")).isEqualTo("127.0.0.1");
            assertThat(m.get("transport")).isEqualTo("UDP");
            assertThat(m.get("user")).isEqualTo("101");
            assertThat(m.get("method")).isEqualTo("REGISTER");
        });
        assertThat(log.events("ban")).singleElement().satisfies(m -> {
            assertThat(m.get("src")).isEqualTo("127.0.0.1");
            assertThat(m.get("until")).isEqualTo("2026-01-01T00:15:00Z");
            assertThat(m.get("failures")).isEqualTo("5");
        });
        assertThat(String.join("\n", log.lines())).doesNotContain(phone.secret().reveal()).doesNotContain("guess");

        clock.advance(Duration.ofMinutes(15));
        RegistrarService.Action after = registerWith(attacker, "101", phone.secret().reveal(), "after");
        assertThat(((RegistrarService.Action.Respond) after).response().status()).isEqualTo(200);
        assertThat(log.events("unban")).singleElement().satisfies(m -> assertThat(m.get("src")).isEqualTo("127.0.0.1"));
    }

    @Test
    void unknownUserWithCredentialsCountsLikeAWrongPassword() {
        for (int i = 1; i <= 5; i++) {
            registerWith(attacker, "999", "guess", "u" + i);
        }
        assertThat(service.handle(register("999", "u6", 1), attacker)).isInstanceOf(RegistrarService.Action.Drop.class);
        assertThat(log.events("auth_failure")).hasSize(5).allSatisfy(m -> assertThat(m.get("user")).isEqualTo("999"));
    }

    @Test
    void unauthenticatedRequestsThatGetTheirFirstChallengeAreNotFailures() {
        for (int i = 0; i < 20; i++) {
            assertThat(respond(register("101", "n" + i, 1), attacker).status()).isEqualTo(401);
        }
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void successDoesNotLiftABan() {
        for (int i = 1; i <= 5; i++) {
            registerWith(attacker, "101", "guess", "s" + i);
        }
        clock.advance(Duration.ofMinutes(5));
        assertThat(service.handle(register("101", "s6", 1), attacker)).isInstanceOf(RegistrarService.Action.Drop.class);
    }

    @Test
    void malformedAuthorizationIs400AndNotCounted() {
        SipRequest bad = TestSip.parse(TestSip.text(register("101", "m1", 1)).replace("Content-Length: 0",
                "Authorization: Digest realm=\nContent-Length: 0"));
        for (int i = 0; i < 6; i++) {
            assertThat(respond(bad, attacker).status()).isEqualTo(400);
        }
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aRegisterOverWssIsChallengedWithMd5AloneAndOverUdpSha256First() {
        TestFlow browser = new TestFlow(Transport.WSS,
                new InetSocketAddress("198.51.100.30", 40000), new InetSocketAddress("192.0.2.1", 8443),
                "wss:198.51.100.30:40000", new ArrayList<>(), new AtomicBoolean());
        SipResponse overWss = respond(register("101", "b1", 1, "Contact: <sip:101@df7jal23ls0d.invalid;transport=ws>"),
                browser);
        assertThat(overWss.wwwAuthenticates()).extracting(c -> c.algorithm()).containsExactly("MD5");
        SipResponse overUdp = respond(register("101", "b2", 1, "Contact: <sip:101@10.0.0.5>"), office);
        assertThat(overUdp.wwwAuthenticates()).extracting(c -> c.algorithm()).containsExactly("SHA-256", "MD5");
        // answering that MD5 challenge as JsSIP does registers the browser
        SipResponse ok = respond(withCredentials(register("101", "b1", 2,
                "Contact: <sip:101@df7jal23ls0d.invalid;transport=ws>"), DigestAlgorithm.MD5, "101",
                phone.secret().reveal(), nonceOf(overWss), "00000001", "b0"), browser);
        assertThat(ok.status()).isEqualTo(200);
    }
}
