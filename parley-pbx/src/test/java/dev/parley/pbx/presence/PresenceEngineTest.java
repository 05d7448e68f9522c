package dev.parley.pbx.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.media.CallSecurity;
import dev.parley.pbx.media.LegSecurity;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.sipstack.flow.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's plumbing: events reach the right subscriptions through its thread; limits; close. */
class PresenceEngineTest {
    private static final UserId ALICE = new UserId("u-alice");
    private static final UserId BOB = new UserId("u-bob");

    private static PresenceEngine engine() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        users.save(new User(ALICE, "alice", "Alice"));
        users.save(new User(BOB, "bob", "Bob"));
        InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
        extensions.save(new Extension("101", ALICE));
        extensions.save(new Extension("102", BOB));
        return new PresenceEngine(users, extensions, new InMemoryDeviceRepository(), new InMemoryBindingRepository(),
                u -> false, Clock.systemUTC(), Duration.ofHours(1)).start();
    }

    private static List<PbxEvent> drain(Subscription s) throws InterruptedException {
        List<PbxEvent> out = new ArrayList<>();
        for (Optional<PbxEvent> e = s.next(Duration.ZERO); e.isPresent(); e = s.next(Duration.ZERO)) {
            out.add(e.get());
        }
        return out;
    }

    @Test
    void callEventsGoToTheirUsersAndPresenceToEveryone() throws Exception {
        try (PresenceEngine engine = engine()) {
            assertThat(engine.directory()).extracting(DirectoryEntry::presence)
                    .containsExactly(Presence.OFFLINE, Presence.OFFLINE);
            Subscription alice = engine.subscribe(ALICE);
            Subscription bob = engine.subscribe(BOB);
            Subscription carol = engine.subscribe(new UserId("u-carol"));
            engine.onRinging(new CallView("c1", "cid", "101", "102", null, Instant.now(), null,
                    new CallSecurity(LegSecurity.plain(Transport.UDP), null), "alice-desk", ALICE, BOB));
            engine.awaitQueued(Duration.ofSeconds(10));
            assertThat(drain(alice)).hasSize(2).anyMatch(e -> e instanceof PbxEvent.Call c
                    && c.direction() == dev.parley.pbx.cdr.CallDirection.OUTGOING);
            assertThat(drain(bob)).hasSize(2).anyMatch(e -> e instanceof PbxEvent.Call c && c.toName().equals("Bob"));
            assertThat(drain(carol)).containsExactly(new PbxEvent.PresenceChanged("101", Presence.BUSY));
            assertThat(engine.directory().getFirst().presence()).isEqualTo(Presence.BUSY);
        }
    }

    @Test
    void aBurstOfCallEventsGatheredTogetherIsAppliedInTheOrderQueued() throws Exception {
        try (PresenceEngine engine = engine()) {
            Subscription carol = engine.subscribe(new UserId("u-carol"));
            CallView first = new CallView("c1", "cid1", "101", "102", null, Instant.now(), null,
                    new CallSecurity(LegSecurity.plain(Transport.UDP), null), "alice-desk", ALICE, BOB);
            CallView second = new CallView("c2", "cid2", "102", "101", null, Instant.now(), null,
                    new CallSecurity(LegSecurity.plain(Transport.UDP), null), "bob-desk", BOB, ALICE);
            // the first wakes the engine; the rest arrive while it gathers and run after it, in this order
            engine.onRinging(first);
            engine.onEnded(first, null);
            engine.onRinging(second);
            engine.onEnded(second, null);
            engine.onRinging(first);
            engine.awaitQueued(Duration.ofSeconds(10));
            assertThat(drain(carol)).containsExactly(new PbxEvent.PresenceChanged("101", Presence.BUSY),
                    new PbxEvent.PresenceChanged("101", Presence.OFFLINE),
                    new PbxEvent.PresenceChanged("102", Presence.BUSY),
                    new PbxEvent.PresenceChanged("102", Presence.OFFLINE),
                    new PbxEvent.PresenceChanged("101", Presence.BUSY));
        }
    }

    @Test
    void streamsAreCappedPerUserAndAllEndWhenTheEngineCloses() {
        PresenceEngine engine = engine();
        List<Subscription> mine = new ArrayList<>();
        for (int i = 0; i < PresenceEngine.MAX_PER_USER; i++) {
            mine.add(engine.subscribe(ALICE));
        }
        assertThatThrownBy(() -> engine.subscribe(ALICE)).isInstanceOf(IllegalStateException.class);
        mine.getFirst().close();
        mine.set(0, engine.subscribe(ALICE)); // a closed stream frees its place
        engine.close();
        assertThat(mine).allMatch(s -> s.isOver() && s.ended().equals(Optional.of(PbxEvent.End.SERVER_STOPPING)));
        assertThat(engine.subscriptions()).isZero();
        assertThatThrownBy(() -> engine.subscribe(BOB)).isInstanceOf(IllegalStateException.class);
    }
}
