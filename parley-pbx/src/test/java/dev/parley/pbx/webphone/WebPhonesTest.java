package dev.parley.pbx.webphone;

import static dev.parley.pbx.auth.TestSip.nonceOf;
import static dev.parley.pbx.auth.TestSip.register;
import static dev.parley.pbx.auth.TestSip.withCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.auth.DigestAuthenticator;
import dev.parley.pbx.auth.DigestPolicy;
import dev.parley.pbx.auth.TestSip;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.presence.DirectoryEntry;
import dev.parley.pbx.presence.Presence;
import dev.parley.pbx.presence.PresenceEngine;
import dev.parley.pbx.registrar.Registrar;
import dev.parley.pbx.registrar.RegistrarPolicy;
import dev.parley.pbx.registrar.RegistrarService;
import dev.parley.pbx.registrar.TestFlow;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.pbx.routing.Route;
import dev.parley.pbx.routing.Router;
import dev.parley.pbx.security.BanPolicy;
import dev.parley.pbx.security.Bans;
import dev.parley.pbx.security.MutableClock;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.UriParser;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WebPhonesTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
    private final InMemoryDeviceRepository stored = new InMemoryDeviceRepository();
    private final User alice = new User(UserId.random(), "alice", "Alice Liddell");
    private final User bob = new User(UserId.random(), "bob", "");
    private final WebPhones phones = new WebPhones(users, extensions, stored, clock, new SecureRandom(),
            Duration.ofHours(1));
    private final InMemoryBindingRepository bindings = new InMemoryBindingRepository();
    private final Registrar registrar = new Registrar(RegistrarPolicy.defaults(), bindings, extensions, clock);
    private final RegistrarService service;

    WebPhonesTest() {
        users.save(alice);
        users.save(bob);
        extensions.save(new Extension("101", alice.id()));
        extensions.save(new Extension("105", alice.id()));
        phones.attach(registrar);
        DigestAuthenticator auth = new DigestAuthenticator(DigestPolicy.of(TestSip.REALM), phones.devices(), clock,
                new SecureRandom());
        service = new RegistrarService(auth, registrar, new Bans(BanPolicy.defaults(), clock));
    }

    private static TestFlow flow(Transport transport, int port) {
        return new TestFlow(transport, new InetSocketAddress("127.0.0.1", port),
                new InetSocketAddress("127.0.0.1", 8443), transport + ":" + port, new ArrayList<>(),
                new AtomicBoolean());
    }

    /** Challenge, then answer it, as JsSIP does; the final answer's status. */
    private int registerOver(TestFlow from, String aor, String user, String password, String callId) {
        String contact = "Contact: <sip:" + callId + "@client.invalid;transport=ws>";
        SipResponse challenge = respond(register(aor, callId, 1, contact), from);
        assertThat(challenge.status()).isEqualTo(401);
        SipRequest answered = withCredentials(register(aor, callId, 2, contact), DigestAlgorithm.MD5, user, password,
                nonceOf(challenge), "00000001", "c0ffee");
        return respond(answered, from).status();
    }

    private SipResponse respond(SipRequest r, TestFlow from) {
        return ((RegistrarService.Action.Respond) service.handle(r, from)).response();
    }

    @Test
    void sameSessionGetsTheSameCredentialsAndAnotherSessionOthers() {
        WebPhoneCredentials first = phones.issue("session-1", alice.id()).orElseThrow();
        assertThat(phones.issue("session-1", alice.id())).contains(first);
        WebPhoneCredentials other = phones.issue("session-2", alice.id()).orElseThrow();

        assertThat(first.extension()).isEqualTo("101"); // the first extension
        assertThat(first.displayName()).isEqualTo("Alice Liddell");
        assertThat(first.authorizationUser()).matches("web-[A-Za-z0-9_-]{22}");
        assertThat(first.device().secret().length()).isGreaterThanOrEqualTo(22); // ≥ 128 bits at 6 bits a character
        assertThat(first.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(other.authorizationUser()).isNotEqualTo(first.authorizationUser());
        assertThat(other.device().secret()).isNotEqualTo(first.device().secret());
        assertThat(first.toString()).doesNotContain(first.device().secret().reveal());
        assertThat(phones.sessionKeys()).containsExactlyInAnyOrder("session-1", "session-2");
    }

    @Test
    void aUserWithoutExtensionGetsNone() {
        assertThat(phones.issue("s", bob.id())).isEmpty();
        assertThat(phones.issue("s", UserId.random())).isEmpty();
        assertThat(phones.size()).isZero();
    }

    @Test
    void thePbxSeesThemAsDevicesOfTheUserButTheStoredListDoesNot() {
        Device desk = Device.create(alice.id(), "alice-desk", "desk").withMediaPolicy(MediaPolicy.REQUIRED);
        stored.save(desk);
        WebPhoneCredentials c = phones.issue("s", alice.id()).orElseThrow();

        assertThat(phones.devices().findBySipUsername(c.authorizationUser())).contains(c.device());
        assertThat(phones.devices().findById(c.device().id())).contains(c.device());
        assertThat(phones.devices().findByOwner(alice.id())).containsExactlyInAnyOrder(desk, c.device());
        assertThat(phones.devices().findAll()).containsExactly(desk);
        assertThat(phones.devices().findBySipUsername("alice-desk")).contains(desk);
        assertThat(phones.devices().webSocketOnly(c.device())).isTrue();
        assertThat(phones.devices().webSocketOnly(desk)).isFalse();
        assertThat(c.device().mediaPolicy()).as("the strictest of the user's devices").isEqualTo(MediaPolicy.REQUIRED);
        assertThat(c.device().owner()).isEqualTo(alice.id());
    }

    @Test
    void theyRegisterOverWssOnlyAndRevocationRemovesTheirBindings() {
        WebPhoneCredentials c = phones.issue("s", alice.id()).orElseThrow();
        String user = c.authorizationUser();
        String password = c.device().secret().reveal();

        assertThat(registerOver(flow(Transport.UDP, 5070), "101", user, password, "udp")).isEqualTo(403);
        assertThat(registerOver(flow(Transport.TCP, 5071), "101", user, password, "tcp")).isEqualTo(403);
        assertThat(registerOver(flow(Transport.TLS, 5072), "101", user, password, "tls")).isEqualTo(403);
        assertThat(registrar.lookup("101")).isEmpty();
        assertThat(registerOver(flow(Transport.WSS, 40000), "101", user, password, "wss")).isEqualTo(200);
        assertThat(registrar.lookup("101")).singleElement()
                .satisfies(b -> assertThat(b.deviceId()).isEqualTo(c.device().id()));
        assertThat(registerOver(flow(Transport.WSS, 40001), "105", user, password, "wss-105")).isEqualTo(200);
        assertThat(registerOver(flow(Transport.WSS, 40002), "999", user, password, "wss-999"))
                .as("an extension that is not the user's").isEqualTo(403);

        Router router = new Router(users, extensions, phones.devices(), registrar);
        assertThat(router.route(UriParser.parseSip("sip:101@pbx.example"), null)).isInstanceOf(Route.Ring.class);

        assertThat(phones.revoke("s")).isTrue();
        assertThat(registrar.lookup("101")).isEmpty();
        assertThat(registrar.lookup("105")).isEmpty();
        assertThat(phones.devices().findBySipUsername(user)).isEmpty();
        assertThat(router.route(UriParser.parseSip("sip:101@pbx.example"), null)).isInstanceOf(Route.Unavailable.class);
        assertThat(registerOver(flow(Transport.WSS, 40003), "101", user, password, "after")).isEqualTo(401);
        assertThat(phones.revoke("s")).isFalse();
        // a REGISTER authenticated just before the revocation is still held to WSS when it asks afterwards
        assertThat(phones.devices().webSocketOnly(c.device())).isTrue();
        Device stored = Device.create(alice.id(), "web-desk", "a stored device that happens to look like ours");
        this.stored.save(stored);
        assertThat(phones.devices().webSocketOnly(stored)).isFalse();
    }

    @Test
    void revocationLeavesTheStoredDevicesBindings() {
        Device desk = Device.create(alice.id(), "alice-desk", "desk");
        stored.save(desk);
        WebPhoneCredentials c = phones.issue("s", alice.id()).orElseThrow();
        assertThat(registerOver(flow(Transport.UDP, 5070), "101", "alice-desk", desk.secret().reveal(), "desk"))
                .isEqualTo(200);
        assertThat(registerOver(flow(Transport.WSS, 40000), "101", c.authorizationUser(),
                c.device().secret().reveal(), "web")).isEqualTo(200);
        assertThat(registrar.lookup("101")).hasSize(2);

        phones.revoke("s");
        assertThat(registrar.lookup("101")).singleElement()
                .satisfies(b -> assertThat(b.deviceId()).isEqualTo(desk.id()));
    }

    @Test
    void expiredCredentialsStopWorkingAndTheSessionGetsNewOnes() {
        WebPhoneCredentials old = phones.issue("s", alice.id()).orElseThrow();
        assertThat(registerOver(flow(Transport.WSS, 40000), "101", old.authorizationUser(),
                old.device().secret().reveal(), "before")).isEqualTo(200);
        clock.advance(Duration.ofHours(1));
        assertThat(phones.devices().findBySipUsername(old.authorizationUser())).isEmpty();
        assertThat(phones.revokeExpired()).isEqualTo(1);
        assertThat(registrar.lookup("101")).isEmpty();

        WebPhoneCredentials fresh = phones.issue("s", alice.id()).orElseThrow();
        assertThat(fresh.authorizationUser()).isNotEqualTo(old.authorizationUser());
        assertThat(phones.revokeExpired()).isZero();
    }

    /** 101's presence as an engine reading the directory through {@code devices} sees it. */
    private Presence presenceOf101(DeviceRepository devices) {
        try (PresenceEngine engine = new PresenceEngine(users, extensions, devices, bindings, u -> false, clock,
                Duration.ofHours(1)).start()) {
            return engine.directory().stream().filter(e -> e.extension().equals("101")).findFirst()
                    .map(DirectoryEntry::presence).orElseThrow();
        }
    }

    @Test
    void aRegisteredBrowserPhoneMakesItsUserOnlineThroughThisDevicesView() {
        WebPhoneCredentials c = phones.issue("s", alice.id()).orElseThrow();
        assertThat(presenceOf101(phones.devices())).isEqualTo(Presence.OFFLINE);
        assertThat(registerOver(flow(Transport.WSS, 41000), "101", c.authorizationUser(),
                c.device().secret().reveal(), "p1")).isEqualTo(200);

        assertThat(presenceOf101(phones.devices())).isEqualTo(Presence.ONLINE);
        // the stored devices alone do not know the binding's device: what /api/directory showed before
        assertThat(presenceOf101(stored)).isEqualTo(Presence.OFFLINE);
        phones.revoke("s"); // sign-out: the credentials and their bindings go
        assertThat(presenceOf101(phones.devices())).isEqualTo(Presence.OFFLINE);
    }
}
