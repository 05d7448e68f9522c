package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DeviceRepository} does, secrets included. */
abstract class DeviceRepositoryContract {
    private DeviceRepository devices;
    private User alice;
    private User bob;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        Repositories r = repositories();
        devices = r.devices();
        alice = user("alice");
        bob = user("bob");
        r.users().save(alice);
        r.users().save(bob);
    }

    @Test
    void savedDeviceIsFoundByIdAndByUsernameWithItsSecret() {
        Device d = new Device(new DeviceId("d1"), alice.id(), "alice-desk", SipSecret.of("p@ss'w\"ord;--%\\x"),
                "desk phone, 2nd floor");
        devices.save(d);
        Device byId = devices.findById(d.id()).orElseThrow();
        assertThat(byId).isEqualTo(d);
        assertThat(byId.secret().reveal()).isEqualTo("p@ss'w\"ord;--%\\x");
        assertThat(devices.findBySipUsername("alice-desk")).contains(d);
    }

    @Test
    void generatedSecretSurvivesTheRoundTrip() {
        Device d = Device.create(alice.id(), "alice", "");
        devices.save(d);
        assertThat(devices.findById(d.id()).orElseThrow().secret().reveal()).isEqualTo(d.secret().reveal());
    }

    @Test
    void usernameIsComparedCaseSensitivelyAsDigestDoes() {
        devices.save(Device.create(alice.id(), "Alice", ""));
        assertThat(devices.findBySipUsername("alice")).isEmpty();
        assertThat(devices.findBySipUsername("Alice")).isPresent();
    }

    @Test
    void unknownIdOrUsernameIsEmpty() {
        devices.save(Device.create(alice.id(), "alice", ""));
        assertThat(devices.findById(new DeviceId("nope"))).isEmpty();
        assertThat(devices.findBySipUsername("nope")).isEmpty();
    }

    @Test
    void listsAreOrderedByUsername() {
        List<String> names = List.of("zed", "Bob", "bob-2", "alice", "Alice", "_x", "9");
        for (String n : names) {
            devices.save(Device.create(n.startsWith("b") || n.startsWith("B") ? bob.id() : alice.id(), n, ""));
        }
        List<String> sorted = names.stream().sorted(Comparator.naturalOrder()).toList();
        assertThat(devices.findAll()).extracting(Device::sipUsername).containsExactlyElementsOf(sorted);
        assertThat(devices.findByOwner(bob.id())).extracting(Device::sipUsername).containsExactly("Bob", "bob-2");
        assertThat(devices.findByOwner(alice.id())).extracting(Device::sipUsername)
                .containsExactlyElementsOf(sorted.stream().filter(n -> !n.equalsIgnoreCase("bob")
                        && !n.equals("bob-2")).toList());
    }

    @Test
    void saveWithAKnownIdUpdatesEverythingAndFreesTheOldUsername() {
        Device d = Device.create(alice.id(), "alice-desk", "desk");
        devices.save(d);
        Device changed = new Device(d.id(), bob.id(), "bob-desk", SipSecret.generate(), "moved");
        devices.save(changed);
        assertThat(devices.findById(d.id())).contains(changed);
        assertThat(devices.findById(d.id()).orElseThrow().secret()).isNotEqualTo(d.secret());
        assertThat(devices.findBySipUsername("alice-desk")).isEmpty();
        assertThat(devices.findBySipUsername("bob-desk")).contains(changed);
        assertThat(devices.findByOwner(alice.id())).isEmpty();
        devices.save(Device.create(alice.id(), "alice-desk", "")); // free again
    }

    @Test
    void newSecretReplacesTheOld() {
        Device d = Device.create(alice.id(), "alice", "");
        devices.save(d);
        SipSecret fresh = SipSecret.generate();
        devices.save(d.withSecret(fresh));
        assertThat(devices.findBySipUsername("alice").orElseThrow().secret()).isEqualTo(fresh);
    }

    @Test
    void usernameTakenByAnotherDeviceIsRefusedAndNothingChanges() {
        Device a = Device.create(alice.id(), "alice", "");
        Device b = Device.create(bob.id(), "bob", "");
        devices.save(a);
        devices.save(b);
        assertThatThrownBy(() -> devices.save(Device.create(bob.id(), "alice", "")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("alice");
        assertThatThrownBy(() -> devices.save(new Device(b.id(), b.owner(), "alice", b.secret(), "x")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(devices.findAll()).containsExactly(a, b);
        assertThat(devices.findById(b.id()).orElseThrow().label()).isEmpty();
    }

    @Test
    void deleteRemovesOnce() {
        Device d = Device.create(alice.id(), "alice", "");
        devices.save(d);
        assertThat(devices.delete(d.id())).isTrue();
        assertThat(devices.delete(d.id())).isFalse();
        assertThat(devices.findBySipUsername("alice")).isEmpty();
        assertThat(devices.findAll()).isEmpty();
    }

    @Test
    void mediaPolicyDefaultsToPreferredAndEveryValueReadsBack() {
        Device d = Device.create(alice.id(), "alice", "");
        assertThat(d.mediaPolicy()).isEqualTo(MediaPolicy.PREFERRED);
        devices.save(d);
        assertThat(devices.findById(d.id()).orElseThrow().mediaPolicy()).isEqualTo(MediaPolicy.PREFERRED);
        for (MediaPolicy p : MediaPolicy.values()) {
            devices.save(d.withMediaPolicy(p));
            assertThat(devices.findBySipUsername("alice").orElseThrow()).isEqualTo(d.withMediaPolicy(p));
        }
    }
}
