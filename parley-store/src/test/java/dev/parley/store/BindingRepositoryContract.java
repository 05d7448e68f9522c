package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.binding;
import static dev.parley.store.Fixtures.richBinding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.registrar.ReceivedFrom;
import dev.parley.sip.header.Address;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BindingRepository} does. */
abstract class BindingRepositoryContract {
    private static final Instant IN_AN_HOUR = T0.plus(Duration.ofHours(1));
    private BindingRepository bindings;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        bindings = repositories().bindings();
    }

    @Test
    void everyFieldReadsBackEqual() {
        Binding rich = richBinding("101", "sip:101@[2001:db8::77]:5070", IN_AN_HOUR);
        Binding plain = binding("101", "sip:101@10.0.0.5:5060", IN_AN_HOUR.plusMillis(7));
        bindings.replace("101", List.of(rich, plain));

        List<Binding> read = bindings.find("101");
        assertThat(read).containsExactlyInAnyOrder(rich, plain);
        Binding back = read.stream().filter(b -> b.equals(rich)).findFirst().orElseThrow();
        assertThat(back.contact().toString()).isEqualTo(rich.contact().toString());
        assertThat(back.path()).containsExactlyElementsOf(rich.path());
        assertThat(back.receivedFrom()).isEqualTo(rich.receivedFrom());
        assertThat(back.userAgent()).isEqualTo(rich.userAgent());
        assertThat(back.cseq()).isEqualTo(4_294_967_295L);
        assertThat(back.q()).isEqualTo(0.7);
    }

    @Test
    void instantsKeepTheirMilliseconds() {
        Instant expires = Instant.parse("2026-03-01T11:00:00.999Z");
        Binding b = binding("101", "sip:101@10.0.0.5", expires);
        bindings.replace("101", List.of(b));
        Binding back = bindings.find("101").getFirst();
        assertThat(back.expiresAt()).isEqualTo(expires);
        assertThat(back.updatedAt()).isEqualTo(T0);
        assertThat(back.remainingSeconds(Instant.parse("2026-03-01T10:59:59.998Z"))).isEqualTo(2);
    }

    @Test
    void unresolvedHostAndIpv4AddressesReadBackEqual() {
        ReceivedFrom from = new ReceivedFrom(Transport.TCP, InetSocketAddress.createUnresolved("pbx.example.com", 5060),
                new InetSocketAddress("127.0.0.1", 5060), "tcp:1");
        Binding b = new Binding("101", Address.parse("<sip:101@pbx.example.com;transport=tcp>"), "c", 1, IN_AN_HOUR,
                T0, List.of(), from, new DeviceId("d"), "");
        bindings.replace("101", List.of(b));
        assertThat(bindings.find("101")).containsExactly(b);
        assertThat(bindings.find("101").getFirst().userAgent()).isEmpty();
    }

    /** A lane routes calls from {@code findInMemory}: where it answers, it answers what {@code find} would. */
    @Test
    void findInMemory_isNullOrWhatFindReads() {
        Binding b = binding("101", "sip:101@10.0.0.5", IN_AN_HOUR);
        bindings.replace("101", List.of(b));
        List<Binding> inMemory = bindings.findInMemory("101");
        if (inMemory != null) {
            assertThat(inMemory).containsExactly(b);
        }
        bindings.replace("101", List.of());
        inMemory = bindings.findInMemory("101");
        if (inMemory != null) {
            assertThat(inMemory).as("the removal is seen too").isEmpty();
        }
    }

    @Test
    void unknownAorHasNoBindings() {
        assertThat(bindings.find("999")).isEmpty();
        assertThat(bindings.findAll()).isEmpty();
    }

    @Test
    void replaceReplacesTheWholeSet() {
        Binding a = binding("101", "sip:101@10.0.0.5", IN_AN_HOUR);
        Binding b = binding("101", "sip:101@10.0.0.6", IN_AN_HOUR);
        Binding c = binding("101", "sip:101@10.0.0.7", IN_AN_HOUR);
        bindings.replace("101", List.of(a, b));
        bindings.replace("101", List.of(b, c));
        assertThat(bindings.find("101")).containsExactlyInAnyOrder(b, c);
    }

    @Test
    void replaceWithNothingRemovesTheAor() {
        bindings.replace("101", List.of(binding("101", "sip:101@10.0.0.5", IN_AN_HOUR)));
        bindings.replace("101", List.of());
        assertThat(bindings.find("101")).isEmpty();
        assertThat(bindings.findAll()).isEmpty();
    }

    @Test
    void aorsAreIndependentAndCaseSensitive() {
        Binding lower = binding("alice", "sip:alice@10.0.0.5", IN_AN_HOUR);
        Binding upper = binding("Alice", "sip:alice@10.0.0.5", IN_AN_HOUR);
        Binding other = binding("102", "sip:102@10.0.0.9", IN_AN_HOUR);
        bindings.replace("alice", List.of(lower));
        bindings.replace("Alice", List.of(upper));
        bindings.replace("102", List.of(other));
        bindings.replace("Alice", List.of());
        assertThat(bindings.find("alice")).containsExactly(lower);
        assertThat(bindings.find("Alice")).isEmpty();
        assertThat(bindings.findAll()).containsExactlyInAnyOrder(lower, other);
    }

    @Test
    void bindingOfAnotherAorIsRefusedAndNothingChanges() {
        Binding a = binding("101", "sip:101@10.0.0.5", IN_AN_HOUR);
        bindings.replace("101", List.of(a));
        assertThatThrownBy(() -> bindings.replace("101", List.of(binding("101", "sip:101@10.0.0.6", IN_AN_HOUR),
                binding("102", "sip:102@10.0.0.6", IN_AN_HOUR))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(bindings.find("101")).containsExactly(a);
        assertThat(bindings.find("102")).isEmpty();
    }

    @Test
    void failureWhileReadingTheNewSetLeavesThePreviousSet() {
        Binding a = binding("101", "sip:101@10.0.0.5", IN_AN_HOUR);
        bindings.replace("101", List.of(a));
        List<Binding> failsOnSecond = new AbstractList<>() {
            @Override
            public Binding get(int index) {
                if (index == 1) {
                    throw new IllegalStateException("injected failure");
                }
                return binding("101", "sip:101@10.0.0.6", IN_AN_HOUR);
            }

            @Override
            public int size() {
                return 2;
            }
        };
        assertThatThrownBy(() -> bindings.replace("101", failsOnSecond)).hasMessage("injected failure");
        assertThat(bindings.find("101")).containsExactly(a);
    }

    @Test
    void deleteExpiredRemovesAndReturnsExactlyTheExpired() {
        Instant now = Instant.parse("2026-03-01T12:00:00.500Z");
        Binding past = binding("101", "sip:101@10.0.0.5", now.minusSeconds(30));
        Binding exactlyNow = binding("101", "sip:101@10.0.0.6", now); // RFC 3261 §10.3: expired at its instant
        Binding justAfter = binding("101", "sip:101@10.0.0.7", now.plusMillis(1));
        Binding otherAor = binding("102", "sip:102@10.0.0.8", now.minusMillis(1));
        Binding later = binding("103", "sip:103@10.0.0.9", now.plusSeconds(3600));
        bindings.replace("101", List.of(past, exactlyNow, justAfter));
        bindings.replace("102", List.of(otherAor));
        bindings.replace("103", List.of(later));

        assertThat(bindings.deleteExpired(now)).containsExactlyInAnyOrder(past, exactlyNow, otherAor);
        assertThat(bindings.findAll()).containsExactlyInAnyOrder(justAfter, later);
        assertThat(bindings.find("102")).isEmpty();
        assertThat(bindings.deleteExpired(now)).isEmpty();
    }

    @Test
    void deleteExpiredWithSubMillisecondNowTreatsTheBoundaryLikeIsExpired() {
        Binding b = binding("101", "sip:101@10.0.0.5", Instant.parse("2026-03-01T12:00:00.500Z"));
        bindings.replace("101", List.of(b));
        Instant justBefore = Instant.parse("2026-03-01T12:00:00.499999Z");
        assertThat(b.isExpired(justBefore)).isFalse();
        assertThat(bindings.deleteExpired(justBefore)).isEmpty();
        Instant justAfter = Instant.parse("2026-03-01T12:00:00.500001Z");
        assertThat(bindings.deleteExpired(justAfter)).containsExactly(b);
    }
}
