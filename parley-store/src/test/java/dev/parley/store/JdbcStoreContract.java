package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.binding;
import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.security.AesGcmSecretCipher;
import dev.parley.pbx.security.SecretCipherException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC store does beyond the port contracts, on both databases: referential integrity, transactions that
 * leave the previous state when they fail, and secrets that reach the database only as ciphertext.
 */
abstract class JdbcStoreContract {
    private static final Instant IN_AN_HOUR = T0.plusSeconds(3600);

    protected abstract Store store();

    /** A binding of {@code device} under {@code aor}. */
    private static Binding bindingOf(Device device, String aor, String contact) {
        Binding b = binding(aor, contact, IN_AN_HOUR);
        return new Binding(aor, b.contact(), b.callId(), b.cseq(), b.expiresAt(), b.updatedAt(), b.path(),
                b.receivedFrom(), device.id(), null);
    }

    @Test
    void deletingADeviceOrItsOwnerRemovesItsRegistrationsAtOnceAndNoOtherDevices() {
        DeviceRepository devices = store().devices(Fixtures.CIPHER);
        User alice = user("alice");
        User bob = user("bob");
        store().users().save(alice);
        store().users().save(bob);
        store().extensions().save(new Extension("101", alice.id()));
        Device desk = Device.create(alice.id(), "alice-desk", "");
        Device soft = Device.create(alice.id(), "alice-soft", "");
        Device bobs = Device.create(bob.id(), "bob-desk", "");
        List.of(desk, soft, bobs).forEach(devices::save);
        // one AOR shared by two of alice's devices, one under a device's own name, one of bob's
        store().bindings().replace("101", List.of(bindingOf(desk, "101", "sip:101@10.0.0.1"),
                bindingOf(soft, "101", "sip:101@10.0.0.2")));
        store().bindings().replace("alice-desk", List.of(bindingOf(desk, "alice-desk", "sip:d@10.0.0.1")));
        store().bindings().replace("bob-desk", List.of(bindingOf(bobs, "bob-desk", "sip:b@10.0.0.3")));

        assertThat(devices.delete(desk.id())).isTrue();
        assertThat(store().bindings().findAll()).extracting(b -> b.aor() + " " + b.deviceId().value())
                .containsExactlyInAnyOrder("101 " + soft.id().value(), "bob-desk " + bobs.id().value());

        assertThat(store().users().deleteWithExtensionsAndDevices(alice.id(), store().extensions(), devices))
                .isTrue();
        assertThat(store().bindings().findAll()).extracting(Binding::deviceId).containsExactly(bobs.id());
    }

    @Test
    void aUserAndTheirPasswordHashAreWrittenInOneTransaction() throws Exception {
        String refused = "$argon2id$v=19$m=19456,t=2,p=1$cmVmdXNlZA$cmVmdXNlZA";
        boolean postgres = store().jdbi().withHandle(h -> h.getConnection().getMetaData().getDatabaseProductName())
                .toLowerCase(java.util.Locale.ROOT).contains("postgres");
        // the database itself refuses the second row, after the first was written in the same transaction
        store().jdbi().useHandle(h -> {
            if (postgres) {
                h.execute("CREATE FUNCTION refuse_hash() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION"
                        + " 'refused by the test'; END $$ LANGUAGE plpgsql");
                h.execute("CREATE TRIGGER refuse_hash BEFORE INSERT ON web_passwords FOR EACH ROW"
                        + " WHEN (NEW.phc = '" + refused + "') EXECUTE FUNCTION refuse_hash()");
            } else {
                h.execute("CREATE TRIGGER refuse_hash BEFORE INSERT ON web_passwords WHEN NEW.phc = '" + refused
                        + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
            }
        });
        try {
            long versionBefore = store().directoryVersion().current();
            User alice = user("alice");
            assertThatThrownBy(() -> store().users().createWithPassword(alice, refused, store().webPasswords()))
                    .isInstanceOf(RuntimeException.class).hasStackTraceContaining("refused by the test");
            assertThat(store().users().findById(alice.id())).isEmpty();
            assertThat(store().users().findByName("alice")).isEmpty();
            assertThat(store().directoryVersion().current()).isEqualTo(versionBefore);

            String good = "$argon2id$v=19$m=19456,t=2,p=1$Z29vZA$Z29vZA";
            store().users().createWithPassword(alice, good, store().webPasswords());
            assertThat(store().users().findById(alice.id())).contains(alice);
            assertThat(store().webPasswords().find(alice.id())).contains(good);
            assertThat(store().directoryVersion().current()).isGreaterThan(versionBefore);
        } finally {
            store().jdbi().useHandle(h -> {
                h.execute("DROP TRIGGER refuse_hash" + (postgres ? " ON web_passwords" : ""));
                if (postgres) {
                    h.execute("DROP FUNCTION refuse_hash()");
                }
            });
        }
    }

    @Test
    void extensionDeviceAndPasswordOfAnUnknownUserAreRefused() {
        UserId ghost = new UserId("ghost");
        assertThatThrownBy(() -> store().extensions().save(new Extension("101", ghost)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> store().devices(Fixtures.CIPHER).save(Device.create(ghost, "ghost-desk", "")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> store().webPasswords().set(ghost, WebPasswordRepositoryContract.HASH))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ghost");
        assertThat(store().extensions().findAll()).isEmpty();
        assertThat(store().devices(Fixtures.CIPHER).findAll()).isEmpty();
    }

    @Test
    void userWithExtensionsOrDevicesCannotBeDeletedUntilTheyAre() {
        User alice = user("alice");
        store().users().save(alice);
        store().extensions().save(new Extension("101", alice.id()));
        Device desk = Device.create(alice.id(), "alice-desk", "");
        store().devices(Fixtures.CIPHER).save(desk);

        assertThatThrownBy(() -> store().users().delete(alice.id()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("first");
        store().extensions().delete("101");
        assertThatThrownBy(() -> store().users().delete(alice.id())).isInstanceOf(IllegalStateException.class);
        assertThat(store().users().findById(alice.id())).contains(alice);
        store().devices(Fixtures.CIPHER).delete(desk.id());
        assertThat(store().users().delete(alice.id())).isTrue();
    }

    @Test
    void deletingAUserDeletesItsWebPassword() {
        User alice = user("alice");
        store().users().save(alice);
        store().webPasswords().set(alice.id(), WebPasswordRepositoryContract.HASH);
        store().users().delete(alice.id());
        store().users().save(alice); // same id again: must not inherit the old hash
        assertThat(store().webPasswords().find(alice.id())).isEmpty();
    }

    @Test
    void aUsersWebSessionsGoWithItAndNoneCanBeMadeForAnUnknownUser() {
        User alice = user("alice");
        store().users().save(alice);
        store().webSessions().insert(new dev.parley.pbx.account.WebSessionRepository.Stored("h1", alice.id(), "t",
                T0, T0));
        store().users().delete(alice.id());
        assertThat(store().webSessions().find("h1")).isEmpty();
        assertThatThrownBy(() -> store().webSessions().insert(new dev.parley.pbx.account.WebSessionRepository.Stored(
                "h2", new UserId("ghost"), "t", T0, T0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no user");
    }

    @Test
    void aUsersApiTokensGoWithItAndNoneCanBeMadeForAnUnknownUser() {
        User alice = user("alice");
        store().users().save(alice);
        store().apiTokens().insert(new dev.parley.pbx.account.ApiTokenRepository.Stored("t1", "h1", alice.id(), "ci",
                T0, null, null));
        store().users().delete(alice.id());
        assertThat(store().apiTokens().findByHash("h1")).isEmpty();
        assertThatThrownBy(() -> store().apiTokens().insert(new dev.parley.pbx.account.ApiTokenRepository.Stored(
                "t2", "h2", new UserId("ghost"), "ci", T0, null, null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no user");
    }

    @Test
    void replaceThatFailsOnItsSecondInsertLeavesThePreviousBindings() {
        List<Binding> before = List.of(binding("101", "sip:101@10.0.0.5", IN_AN_HOUR),
                binding("101", "sip:101@10.0.0.6", IN_AN_HOUR));
        store().bindings().replace("101", before);
        Binding fresh = binding("101", "sip:101@10.0.0.9", IN_AN_HOUR);
        // the same contact twice violates the primary key on the second insert, after the delete and one insert
        assertThatThrownBy(() -> store().bindings().replace("101", List.of(fresh, fresh)))
                .isInstanceOf(RuntimeException.class);
        assertThat(store().bindings().find("101")).containsExactlyInAnyOrderElementsOf(before);
        store().bindings().replace("101", List.of(fresh)); // and the store is usable afterwards
        assertThat(store().bindings().find("101")).containsExactly(fresh);
    }

    @Test
    void concurrentReplacesOfOneAorLeaveExactlyOneWritersSet() throws Exception {
        int writers = 6;
        int rounds = 25;
        List<List<String>> mixed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        List<Binding> set = new ArrayList<>();
                        for (int i = 0; i <= (writer + r) % 3; i++) {
                            Binding b = binding("101", "sip:101@10.0." + writer + "." + (r * 3 + i), IN_AN_HOUR);
                            set.add(new Binding(b.aor(), b.contact(), "writer-" + writer + "-round-" + r, r,
                                    b.expiresAt(), b.updatedAt(), b.path(), b.receivedFrom(), b.deviceId(), null));
                        }
                        store().bindings().replace("101", set);
                        List<Binding> seen = store().bindings().find("101");
                        if (seen.stream().map(Binding::callId).distinct().count() != 1) {
                            mixed.add(seen.stream().map(Binding::callId).distinct().toList());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(mixed).as("sets seen mixing several writers' bindings").isEmpty();
        List<Binding> last = store().bindings().find("101");
        assertThat(last).isNotEmpty();
        assertThat(last.stream().map(Binding::callId).collect(Collectors.toSet())).hasSize(1);
    }

    @Test
    void everyDirectoryWriteBumpsTheVersionAndNothingElseDoes() {
        long v0 = store().directoryVersion().current();
        User alice = user("alice");
        store().users().save(alice);
        long v1 = store().directoryVersion().current();
        assertThat(v1).isGreaterThan(v0);
        store().extensions().save(new Extension("101", alice.id()));
        long v2 = store().directoryVersion().current();
        assertThat(v2).isGreaterThan(v1);
        Device desk = Device.create(alice.id(), "alice-desk", "");
        store().devices(Fixtures.CIPHER).save(desk);
        long v3 = store().directoryVersion().current();
        assertThat(v3).isGreaterThan(v2);

        // reads, bindings, CDRs, a refused write and a delete of nothing leave it alone
        store().devices(Fixtures.CIPHER).findBySipUsername("alice-desk");
        store().bindings().replace("101", List.of(binding("101", "sip:101@10.0.0.5", IN_AN_HOUR)));
        assertThatThrownBy(() -> store().devices(Fixtures.CIPHER).save(Device.create(alice.id(), "alice-desk", "")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store().extensions().delete("999")).isFalse();
        assertThat(store().directoryVersion().current()).isEqualTo(v3);

        store().devices(Fixtures.CIPHER).delete(desk.id());
        long v4 = store().directoryVersion().current();
        assertThat(v4).isGreaterThan(v3);
        store().extensions().delete("101");
        long v5 = store().directoryVersion().current();
        assertThat(v5).isGreaterThan(v4);
        store().users().delete(alice.id());
        assertThat(store().directoryVersion().current()).isGreaterThan(v5);
    }

    @Test
    void replaceWritesOnlyWhatChangedAndReadsBackTheNewSet() {
        Binding a = binding("101", "sip:101@10.0.0.5", IN_AN_HOUR);
        Binding b = binding("101", "sip:101@10.0.0.6", IN_AN_HOUR);
        store().bindings().replace("101", List.of(a, b));
        // a refresh of b (new expiry and CSeq), a kept unchanged, c added
        Binding refreshed = new Binding(b.aor(), b.contact(), b.callId(), b.cseq() + 1, IN_AN_HOUR.plusSeconds(60),
                b.updatedAt().plusSeconds(1), b.path(), b.receivedFrom(), b.deviceId(), b.userAgent());
        Binding c = binding("101", "sip:101@10.0.0.7", IN_AN_HOUR);
        store().bindings().replace("101", List.of(a, refreshed, c));
        assertThat(store().bindings().find("101")).containsExactlyInAnyOrder(a, refreshed, c);
        assertThat(store().bindings().findAll()).containsExactlyInAnyOrder(a, refreshed, c);
        store().bindings().replace("101", List.of(c));
        assertThat(store().bindings().find("101")).containsExactly(c);
        assertThat(store().bindings().findAll()).containsExactly(c);
        assertThat(store().bindings().deleteExpired(IN_AN_HOUR)).containsExactly(c);
        assertThat(store().bindings().find("101")).isEmpty();
    }

    @Test
    void secretIsStoredOnlyAsCiphertextBoundToItsRow() {
        User alice = user("alice");
        store().users().save(alice);
        DeviceRepository devices = store().devices(Fixtures.CIPHER);
        Device a = Device.create(alice.id(), "alice-desk", "");
        Device b = Device.create(alice.id(), "alice-soft", "");
        devices.save(a);
        devices.save(b);

        String stored = store().jdbi().withHandle(h -> h.createQuery(
                        "SELECT secret_ciphertext FROM devices WHERE id = :id")
                .bind("id", a.id().value()).mapTo(String.class).one());
        assertThat(stored).startsWith(AesGcmSecretCipher.PREFIX).doesNotContain(a.secret().reveal());
        assertThat(Fixtures.CIPHER.decrypt(stored, "device:" + a.id() + ":secret")).isEqualTo(a.secret().reveal());

        // someone with write access but no key copies a's ciphertext onto b: b does not get a's secret
        store().jdbi().useHandle(h -> h.createUpdate("UPDATE devices SET secret_ciphertext = :c WHERE id = :id")
                .bind("c", stored).bind("id", b.id().value()).execute());
        assertThatThrownBy(() -> devices.findById(b.id())).isInstanceOf(SecretCipherException.class);
        assertThat(devices.findById(a.id())).contains(a);
    }

    @Test
    void anotherKeyCannotReadTheSecrets() {
        User alice = user("alice");
        store().users().save(alice);
        store().devices(Fixtures.CIPHER).save(Device.create(alice.id(), "alice-desk", ""));
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        DeviceRepository wrongKey = store().devices(new AesGcmSecretCipher(otherKey, new SecureRandom()));
        assertThatThrownBy(() -> wrongKey.findBySipUsername("alice-desk")).isInstanceOf(SecretCipherException.class);
    }
}
