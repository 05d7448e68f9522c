package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.cdr.InMemoryCallRecordRepository;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.InMemoryDirectory;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.pbx.settings.UserSettingsService;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.message.SipResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where an authenticated INVITE is decided: on its lane when the directory, the callee's bindings and settings are in
 * memory (no hop to a virtual thread and back), else on a virtual thread, with the same answers either way. The
 * repositories record the thread of every read the decision makes.
 */
class LaneDecisionIT {
    private final RecordingDevices devices = new RecordingDevices();
    private final RecordingBindings bindings = new RecordingBindings();
    private TestPbx pbx;

    @AfterEach
    void stop() {
        if (pbx != null) {
            pbx.close();
        }
    }

    private void start(InMemoryDirectory directory) {
        pbx = new TestPbx(PbxConfig.defaults(TestPhone.REALM), new PbxPorts(new InMemoryUserRepository(),
                new InMemoryExtensionRepository(), devices, bindings, new InMemoryCallRecordRepository(),
                UserSettingsService.inMemory(), directory));
    }

    /** Rings 102 from alice and lets bob turn it down: the route and the answer work, whichever thread decided. */
    private void callBobAndHearBusy(TestPhone alice, TestPhone bob) {
        devices.reads.clear();
        bindings.blockingReads.clear();
        bindings.inMemoryReads.clear();
        TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
        assertThat(call.challenge.status()).isEqualTo(407);
        bob.awaitInvite().reject(486);
        assertThat(call.awaitFinal().status()).isEqualTo(486);
    }

    @Test
    void everythingInMemory_theInviteIsAuthenticatedAndRoutedOnItsLane() throws Exception {
        start(InMemoryDirectory.ALWAYS);
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            assertThat(alice.register().status()).isEqualTo(200);
            assertThat(bob.register().status()).isEqualTo(200);

            // first call: bob's settings are not cached yet, so routing finishes on a virtual thread
            callBobAndHearBusy(alice, bob);
            assertThat(devices.reads).as("alice's credentials, read on the lane")
                    .anySatisfy(r -> assertThat(r).startsWith("alice@parley-lane-"))
                    .allSatisfy(r -> assertThat(r).contains("@parley-lane-"));
            assertThat(bindings.blockingReads).isNotEmpty().allSatisfy(r -> assertThat(r).endsWith("@virtual"));

            // now they are: nothing leaves the lane
            callBobAndHearBusy(alice, bob);
            assertThat(devices.reads).anySatisfy(r -> assertThat(r).startsWith("alice@parley-lane-"))
                    .allSatisfy(r -> assertThat(r).contains("@parley-lane-"));
            assertThat(bindings.inMemoryReads).isNotEmpty()
                    .allSatisfy(r -> assertThat(r).contains("@parley-lane-"));
            assertThat(bindings.blockingReads).as("no blocking read of bindings").isEmpty();
        }
    }

    @Test
    void directoryNotInMemory_theInviteIsDecidedOnAVirtualThread() throws Exception {
        start(InMemoryDirectory.NEVER);
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            assertThat(alice.register().status()).isEqualTo(200);
            assertThat(bob.register().status()).isEqualTo(200);
            callBobAndHearBusy(alice, bob);
            assertThat(devices.reads).contains("alice@virtual")
                    .noneSatisfy(r -> assertThat(r).startsWith("alice@parley-"));
            assertThat(bindings.inMemoryReads).isEmpty();
            assertThat(bindings.blockingReads).isNotEmpty().allSatisfy(r -> assertThat(r).endsWith("@virtual"));
        }
    }

    @Test
    void bindingsNotInMemory_authenticatedOnTheLane_routedOnAVirtualThread() throws Exception {
        start(InMemoryDirectory.ALWAYS);
        bindings.inMemory = false;
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            assertThat(alice.register().status()).isEqualTo(200);
            assertThat(bob.register().status()).isEqualTo(200);
            pbx.ports.settings().of(new UserId("bob")); // cached: only the bindings send the routing off the lane
            callBobAndHearBusy(alice, bob);
            assertThat(devices.reads).anySatisfy(r -> assertThat(r).startsWith("alice@parley-lane-"))
                    .allSatisfy(r -> assertThat(r).contains("@parley-lane-"));
            assertThat(bindings.blockingReads).isNotEmpty().allSatisfy(r -> assertThat(r).endsWith("@virtual"));
        }
    }

    /**
     * RFC 3261 §22.3, issue 3's "no user enumeration": on the lane, a wrong password and an unknown user get the same
     * 407 (apart from nonce and tag) as before, and the wrong password counts towards a ban.
     */
    @Test
    void onTheLane_wrongPasswordAndUnknownUserGetTheSameChallenge_andTheFailureCounts() throws Exception {
        start(InMemoryDirectory.ALWAYS);
        try (TestPhone alice = pbx.phone("alice", "101");
                TestPhone nobody = TestPhone.udp("nobody", "whatever", "199", pbx.udpPort())) {
            assertThat(alice.register().status()).isEqualTo(200);
            devices.reads.clear();
            TestPhone.Outgoing wrong = alice.call("102", Sdp.of("alice", 4000), "not-the-secret");
            SipResponse wrongAnswer = wrong.awaitFinal();
            TestPhone.Outgoing unknown = nobody.call("102", Sdp.of("nobody", 4002));
            SipResponse unknownAnswer = unknown.awaitFinal();

            assertThat(devices.reads).anySatisfy(r -> assertThat(r).startsWith("alice@parley-lane-"))
                    .anySatisfy(r -> assertThat(r).startsWith("nobody@parley-lane-"))
                    .allSatisfy(r -> assertThat(r).contains("@parley-lane-"));
            assertThat(wrongAnswer.status()).isEqualTo(407);
            assertThat(unknownAnswer.status()).isEqualTo(407);
            assertThat(challengeWithoutNonce(wrongAnswer)).isEqualTo(challengeWithoutNonce(unknownAnswer))
                    .isEqualTo(challengeWithoutNonce(wrong.challenge));
            assertThat(pbx.pbx.bans().trackedSources()).as("127.0.0.1's failures are counted").isEqualTo(1);
        }
    }

    private static List<String> challengeWithoutNonce(SipResponse r) {
        return r.headers().values(HeaderName.PROXY_AUTHENTICATE).stream()
                .map(v -> v.replaceAll("nonce=\"[^\"]*\"", "nonce=\"…\"")).toList();
    }

    private static String here() {
        Thread t = Thread.currentThread();
        return t.isVirtual() ? "virtual" : t.getName();
    }

    /** Devices in memory, recording who read which username on which thread. */
    private static final class RecordingDevices implements DeviceRepository {
        final InMemoryDeviceRepository inner = new InMemoryDeviceRepository();
        final List<String> reads = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Device> findById(DeviceId id) {
            return inner.findById(id);
        }

        @Override
        public Optional<Device> findBySipUsername(String sipUsername) {
            reads.add(sipUsername + "@" + here());
            return inner.findBySipUsername(sipUsername);
        }

        @Override
        public List<Device> findByOwner(UserId owner) {
            return inner.findByOwner(owner);
        }

        @Override
        public List<Device> findAll() {
            return inner.findAll();
        }

        @Override
        public void save(Device device) {
            inner.save(device);
        }

        @Override
        public boolean delete(DeviceId id) {
            return inner.delete(id);
        }
    }

    /** Bindings in memory, recording the thread of each read; {@link #inMemory} false: as a store that has none. */
    private static final class RecordingBindings implements BindingRepository {
        final InMemoryBindingRepository inner = new InMemoryBindingRepository();
        final List<String> blockingReads = new CopyOnWriteArrayList<>();
        final List<String> inMemoryReads = new CopyOnWriteArrayList<>();
        volatile boolean inMemory = true;

        @Override
        public List<Binding> find(String aor) {
            blockingReads.add(aor + "@" + here());
            return inner.find(aor);
        }

        @Override
        public List<Binding> findInMemory(String aor) {
            if (!inMemory) {
                return null;
            }
            inMemoryReads.add(aor + "@" + here());
            return inner.findInMemory(aor);
        }

        @Override
        public void replace(String aor, List<Binding> bindings) {
            inner.replace(aor, bindings);
        }

        @Override
        public List<Binding> findAll() {
            return inner.findAll();
        }

        @Override
        public List<Binding> deleteExpired(Instant now) {
            return inner.deleteExpired(now);
        }
    }
}
