package dev.parley.pbx.registrar;

import static dev.parley.pbx.auth.TestSip.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.pbx.security.MutableClock;
import dev.parley.sip.header.Address;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistrarTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryBindingRepository repository = new InMemoryBindingRepository();
    private final InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
    private final UserId alice = UserId.random();
    private final Device desk = Device.create(alice, "101", "desk");
    private final TestFlow flow = TestFlow.udp("203.0.113.7", 40001);
    private Registrar registrar = new Registrar(RegistrarPolicy.defaults(), repository, extensions, clock);

    private SipResponse send(SipRequest request) {
        return registrar.register(request, desk, flow);
    }

    private static List<String> contactLines(SipResponse r) {
        return r.contacts().stream().map(Address::toString).toList();
    }

    @Test
    void rfc3261_10_3_step8_okListsEveryBindingWithRemainingExpiresAndDate() {
        SipResponse r = send(register("101", "c1", 1, "Contact: <sip:101@192.168.1.10:5060>;q=0.5",
                "Expires: 600"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.to().tag()).isNotNull();
        assertThat(contactLines(r)).containsExactly("<sip:101@192.168.1.10:5060>;q=0.5;expires=600");
        assertThat(r.header("Date")).contains("Thu, 01 Jan 2026 00:00:00 GMT");

        clock.advance(Duration.ofSeconds(100));
        SipResponse second = send(register("101", "c2", 1, "Contact: <sip:101@10.0.0.5>"));
        assertThat(contactLines(second)).containsExactly("<sip:101@10.0.0.5>;expires=3600",
                "<sip:101@192.168.1.10:5060>;q=0.5;expires=500");
    }

    @Test
    void rfc3261_10_3_queryWithoutContactListsBindingsAndChangesNothing() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>"));
        SipResponse q = send(register("101", "other", 1));
        assertThat(q.status()).isEqualTo(200);
        assertThat(contactLines(q)).containsExactly("<sip:101@10.0.0.5>;expires=3600");
    }

    @Test
    void rfc3261_10_3_step7_refreshUpdatesTheBindingFoundByUriComparison() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5:5060;transport=udp>", "Expires: 600"));
        clock.advance(Duration.ofSeconds(300));
        // §19.1.4: host case differs, still the same contact
        SipResponse r = send(register("101", "c1", 2, "Contact: <sip:101@10.0.0.5:5060;TRANSPORT=udp>",
                "Expires: 600"));
        assertThat(r.contacts()).hasSize(1);
        assertThat(r.contacts().getFirst().parameters().value("expires")).isEqualTo("600");
        assertThat(registrar.lookup("101")).singleElement().satisfies(b -> {
            assertThat(b.cseq()).isEqualTo(2);
            assertThat(b.expiresAt()).isEqualTo(clock.instant().plusSeconds(600));
        });
    }

    @Test
    void rfc3261_10_3_step7_expiresZeroRemovesOneBinding() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>", "Contact: <sip:101@10.0.0.6>"));
        SipResponse r = send(register("101", "c1", 2, "Contact: <sip:101@10.0.0.5>;expires=0"));
        assertThat(contactLines(r)).containsExactly("<sip:101@10.0.0.6>;expires=3600");
        SipResponse r2 = send(register("101", "c1", 3, "Contact: <sip:101@10.0.0.6>", "Expires: 0"));
        assertThat(r2.status()).isEqualTo(200);
        assertThat(r2.contacts()).isEmpty();
        assertThat(repository.findAll()).isEmpty();
    }

    @Test
    void rfc3261_10_3_step6_wildcardWithExpiresZeroRemovesAll() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>"));
        send(register("101", "c2", 1, "Contact: <sip:101@10.0.0.6>"));
        SipResponse r = send(register("101", "c3", 1, "Contact: *", "Expires: 0"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contacts()).isEmpty();
        assertThat(registrar.lookup("101")).isEmpty();
    }

    @Test
    void rfc3261_10_3_step6_wildcardOnlyAloneAndWithExpiresZero() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>"));
        assertThat(send(register("101", "c2", 1, "Contact: *")).status()).isEqualTo(400);
        assertThat(send(register("101", "c2", 2, "Contact: *", "Expires: 3600")).status()).isEqualTo(400);
        assertThat(send(register("101", "c2", 3, "Contact: *, <sip:101@10.0.0.7>", "Expires: 0")).status())
                .isEqualTo(400);
        assertThat(registrar.lookup("101")).hasSize(1);
    }

    @Test
    void rfc3261_10_3_step7_sameCallIdWithoutHigherCseqFailsAndChangesNothing() {
        send(register("101", "c1", 5, "Contact: <sip:101@10.0.0.5>", "Expires: 600"));
        assertThat(send(register("101", "c1", 5, "Contact: <sip:101@10.0.0.5>", "Expires: 0")).status())
                .isEqualTo(500);
        assertThat(send(register("101", "c1", 4, "Contact: <sip:101@10.0.0.5>", "Expires: 900")).status())
                .isEqualTo(500);
        assertThat(send(register("101", "c1", 4, "Contact: *", "Expires: 0")).status()).isEqualTo(500);
        assertThat(registrar.lookup("101")).singleElement().satisfies(b -> assertThat(b.cseq()).isEqualTo(5));
        // a new Call-ID (the phone rebooted) may take over with any CSeq
        assertThat(send(register("101", "c9", 1, "Contact: <sip:101@10.0.0.5>", "Expires: 900")).status())
                .isEqualTo(200);
    }

    @Test
    void rfc3261_10_3_step7_allOrNothing() {
        send(register("101", "c1", 5, "Contact: <sip:101@10.0.0.5>"));
        SipResponse r = send(register("101", "c1", 3, "Contact: <sip:101@10.0.0.9>", "Contact: <sip:101@10.0.0.5>"));
        assertThat(r.status()).isEqualTo(500);
        assertThat(registrar.lookup("101")).extracting(b -> b.contact().toString()).containsExactly(
                "<sip:101@10.0.0.5>");
    }

    @Test
    void rfc3261_10_3_step7_intervalTooBriefIs423WithMinExpires() {
        SipResponse r = send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>", "Expires: 30"));
        assertThat(r.status()).isEqualTo(423);
        assertThat(r.reason()).isEqualTo("Interval Too Brief");
        assertThat(r.minExpires()).hasValue(60);
        assertThat(send(register("101", "c1", 2, "Contact: <sip:101@10.0.0.5>;expires=59")).status()).isEqualTo(423);
        assertThat(repository.findAll()).isEmpty();
    }

    @Test
    void rfc3261_10_3_step7_longIntervalsAreShortenedAndTheDefaultIs3600() {
        SipResponse r = send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>;expires=86400",
                "Contact: <sip:101@10.0.0.6>"));
        assertThat(contactLines(r)).containsExactlyInAnyOrder("<sip:101@10.0.0.5>;expires=7200",
                "<sip:101@10.0.0.6>;expires=3600");
    }

    @Test
    void contactCapEvictsTheSoonestToExpire() {
        registrar = new Registrar(RegistrarPolicy.defaults().withMaxContacts(2), repository, extensions, clock);
        send(register("101", "a", 1, "Contact: <sip:101@10.0.0.1>", "Expires: 600"));
        send(register("101", "b", 1, "Contact: <sip:101@10.0.0.2>", "Expires: 3600"));
        SipResponse r = send(register("101", "c", 1, "Contact: <sip:101@10.0.0.3>", "Expires: 1200"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(registrar.lookup("101")).extracting(b -> b.contact().uri().toString())
                .containsExactlyInAnyOrder("sip:101@10.0.0.2", "sip:101@10.0.0.3");
        // one request bringing more than the cap is refused
        assertThat(send(register("101", "d", 1, "Contact: <sip:101@10.0.0.4>", "Contact: <sip:101@10.0.0.5>",
                "Contact: <sip:101@10.0.0.6>")).status()).isEqualTo(403);
    }

    @Test
    void defaultCapIsTen() {
        for (int i = 1; i <= 11; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(send(register("101", "c" + i, 1, "Contact: <sip:101@10.0.0." + i + ">")).status())
                    .isEqualTo(200);
        }
        assertThat(registrar.lookup("101")).hasSize(10).noneMatch(b -> b.contact().uri().toString()
                .equals("sip:101@10.0.0.1"));
    }

    @Test
    void rfc3327_5_3_pathIsStoredAndEchoedWhenSupported() {
        SipResponse r = send(register("101", "c1", 1, "Path: <sip:edge1.example;lr>, <sip:edge2.example;lr>",
                "Supported: path", "Contact: <sip:101@10.0.0.5>"));
        assertThat(r.paths()).extracting(Address::toString).containsExactly("<sip:edge1.example;lr>",
                "<sip:edge2.example;lr>");
        assertThat(registrar.lookup("101").getFirst().path()).hasSize(2);

        SipResponse noSupport = send(register("101", "c2", 1, "Path: <sip:edge1.example;lr>",
                "Contact: <sip:101@10.0.0.6>"));
        assertThat(noSupport.status()).isEqualTo(200);
        assertThat(noSupport.paths()).isEmpty();
        assertThat(registrar.lookup("101")).allSatisfy(b -> assertThat(b.path()).isNotEmpty());
    }

    @Test
    void receivedAddressAndFlowAreStoredAndTheContactIsKeptAsGiven() {
        send(register("101", "c1", 1, "Contact: <sip:101@192.168.1.10:5060;transport=udp>;+sip.instance=\"<urn:x>\""));
        Binding b = registrar.lookup("101").getFirst();
        assertThat(b.contact().toString()).isEqualTo("<sip:101@192.168.1.10:5060;transport=udp>;+sip.instance=\"<urn:x>\"");
        assertThat(b.receivedFrom().remote()).isEqualTo(new InetSocketAddress("203.0.113.7", 40001));
        assertThat(b.receivedFrom().flowId()).isEqualTo(flow.id());
        assertThat(b.deviceId()).isEqualTo(desk.id());
    }

    /** What a lane routes with: the same bindings as lookup, or null from a repository that has none in memory. */
    @Test
    void lookupInMemory_isLookup_orNullWhenTheRepositoryWouldBlock() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>", "Expires: 60"));
        send(register("101", "c2", 1, "Contact: <sip:101@10.0.0.6>;q=0.9", "Expires: 120"));
        assertThat(registrar.lookupInMemory("101")).isEqualTo(registrar.lookup("101")).hasSize(2);
        clock.advance(Duration.ofSeconds(60));
        assertThat(registrar.lookupInMemory("101")).as("expired ones left out")
                .isEqualTo(registrar.lookup("101")).hasSize(1);
        BindingRepository onDisk = new BindingRepository() { // findInMemory not overridden: every read may block
            @Override
            public List<Binding> find(String aor) {
                return repository.find(aor);
            }

            @Override
            public void replace(String aor, List<Binding> bindings) {
                repository.replace(aor, bindings);
            }

            @Override
            public List<Binding> findAll() {
                return repository.findAll();
            }

            @Override
            public List<Binding> deleteExpired(Instant now) {
                return repository.deleteExpired(now);
            }
        };
        Registrar overDisk = new Registrar(RegistrarPolicy.defaults(), onDisk, extensions, clock);
        assertThat(overDisk.lookupInMemory("101")).isNull();
        assertThat(overDisk.lookup("101")).hasSize(1);
    }

    @Test
    void expiredBindingsArePurged() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>", "Expires: 60"));
        send(register("101", "c2", 1, "Contact: <sip:101@10.0.0.6>", "Expires: 120"));
        clock.advance(Duration.ofSeconds(60));
        assertThat(registrar.lookup("101")).hasSize(1);
        assertThat(registrar.purgeExpired()).extracting(b -> b.contact().uri().toString())
                .containsExactly("sip:101@10.0.0.5");
        assertThat(repository.findAll()).hasSize(1);
        clock.advance(Duration.ofSeconds(60));
        assertThat(registrar.purgeExpired()).hasSize(1);
        assertThat(repository.findAll()).isEmpty();
    }

    @Test
    void restartRestoresBindingsWithTheirRemainingTime() {
        send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>", "Expires: 3600"));
        clock.advance(Duration.ofSeconds(1000));
        Registrar afterRestart = new Registrar(RegistrarPolicy.defaults(), repository, extensions, clock);
        assertThat(afterRestart.lookup("101")).singleElement().satisfies(b -> {
            assertThat(b.remainingSeconds(clock.instant())).isEqualTo(2600);
            assertThat(b.expiresAt()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
        });
        SipResponse query = afterRestart.register(register("101", "q", 1), desk, flow);
        assertThat(query.contacts().getFirst().parameters().value("expires")).isEqualTo("2600");
    }

    @Test
    void rfc3261_10_3_step6_aDeviceRegistersOnlyItsOwnAorOrItsOwnersExtensions() {
        assertThat(send(register("102", "c1", 1, "Contact: <sip:x@10.0.0.5>")).status()).isEqualTo(403);
        extensions.save(new Extension("200", alice));
        extensions.save(new Extension("300", UserId.random()));
        assertThat(send(register("200", "c2", 1, "Contact: <sip:x@10.0.0.5>")).status()).isEqualTo(200);
        assertThat(send(register("300", "c3", 1, "Contact: <sip:x@10.0.0.5>")).status()).isEqualTo(403);
        assertThat(registrar.lookup("200")).hasSize(1);
    }

    @Test
    void rfc3261_10_3_step2_unsupportedRequireIs420() {
        SipResponse r = send(register("101", "c1", 1, "Require: gruu, path", "Contact: <sip:101@10.0.0.5>"));
        assertThat(r.status()).isEqualTo(420);
        assertThat(r.unsupported()).containsExactly("gruu");
        assertThat(send(register("101", "c1", 2, "Require: path", "Contact: <sip:101@10.0.0.5>")).status())
                .isEqualTo(200);
    }

    @Test
    void rfc3261_10_3_step3_foreignDomainIs404WhenDomainsAreConfigured() {
        registrar = new Registrar(RegistrarPolicy.defaults().withDomains(Set.of("PBX.example")), repository,
                extensions, clock);
        assertThat(send(register("101", "c1", 1, "Contact: <sip:101@10.0.0.5>")).status()).isEqualTo(200);
        SipRequest foreign = dev.parley.pbx.auth.TestSip.parse(dev.parley.pbx.auth.TestSip.text(
                register("101", "c2", 1, "Contact: <sip:101@10.0.0.5>")).replace("To: <sip:101@pbx.example>",
                "To: <sip:101@other.example>"));
        assertThat(send(foreign).status()).isEqualTo(404);
    }
}
