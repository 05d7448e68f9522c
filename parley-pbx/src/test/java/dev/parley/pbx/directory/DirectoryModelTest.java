package dev.parley.pbx.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import org.junit.jupiter.api.Test;

class DirectoryModelTest {

    @Test
    void namesThatWouldNeedEscapingInAUriOrALogLineAreRefused() {
        UserId owner = UserId.random();
        assertThatThrownBy(() -> Device.create(owner, "alice smith", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Device.create(owner, "a\"b", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Extension("10a", owner)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Device.create(owner, "alice.desk-1", "").sipUsername()).isEqualTo("alice.desk-1");
    }

    @Test
    void deviceRepositoryFindsBySipUsernameAndKeepsItUnique() {
        InMemoryDeviceRepository devices = new InMemoryDeviceRepository();
        UserId owner = UserId.random();
        Device d = Device.create(owner, "101", "desk");
        devices.save(d);
        assertThat(devices.findBySipUsername("101")).contains(d);
        assertThatThrownBy(() -> devices.save(Device.create(owner, "101", "other")))
                .isInstanceOf(IllegalStateException.class);
        Device renamed = new Device(d.id(), owner, "101a", d.secret(), "desk");
        devices.save(renamed);
        assertThat(devices.findBySipUsername("101")).isEmpty();
        assertThat(devices.findBySipUsername("101a")).contains(renamed);
        assertThat(devices.findByOwner(owner)).containsExactly(renamed);
        assertThat(devices.delete(d.id())).isTrue();
        assertThat(devices.findAll()).isEmpty();
    }

    @Test
    void userAndExtensionRepositories() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
        User alice = new User(UserId.random(), "alice", "Alice");
        users.save(alice);
        assertThatThrownBy(() -> users.save(new User(UserId.random(), "alice", "Other")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(users.findByName("alice")).contains(alice);
        extensions.save(new Extension("201", alice.id()));
        extensions.save(new Extension("200", alice.id()));
        assertThat(extensions.findByOwner(alice.id())).extracting(Extension::number).containsExactly("200", "201");
        assertThat(extensions.delete("200")).isTrue();
        assertThat(extensions.find("200")).isEmpty();
    }
}
