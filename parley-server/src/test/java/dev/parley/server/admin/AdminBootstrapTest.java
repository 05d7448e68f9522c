package dev.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.server.store.InMemoryRepositories;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminBootstrapTest {
    private final InMemoryRepositories store = new InMemoryRepositories();
    private final AdminBootstrap bootstrap =
            new AdminBootstrap(store.users(), store.webPasswords(), new SecureRandom());

    @Test
    void firstStartCreatesAdminWithAHashedOneTimePassword() {
        Optional<AdminBootstrap.Credentials> created = bootstrap.ensureAdmin();

        assertThat(created).isPresent();
        AdminBootstrap.Credentials c = created.get();
        assertThat(c.username()).isEqualTo("admin");
        assertThat(c.password().length).isGreaterThanOrEqualTo(16);
        assertThat(c.toString()).doesNotContain(new String(c.password()));
        User admin = store.users().findByName("admin").orElseThrow();
        String phc = store.webPasswords().find(admin.id()).orElseThrow();
        assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(new String(c.password()));
        assertThat(PasswordHashing.verify(phc, c.password())).isTrue();
        assertThat(admin.role()).isEqualTo(Role.SUPERADMIN);
    }

    @Test
    void laterStartsDoNothing() {
        bootstrap.ensureAdmin();
        User admin = store.users().findByName("admin").orElseThrow();
        String phc = store.webPasswords().find(admin.id()).orElseThrow();

        assertThat(bootstrap.ensureAdmin()).isEmpty();
        assertThat(store.users().findAll()).hasSize(1);
        assertThat(store.webPasswords().find(admin.id())).contains(phc);
    }

    @Test
    void anAdminWithoutAWebPasswordGetsOne() {
        UserId id = UserId.random();
        store.users().save(new User(id, "admin", "Boss"));

        AdminBootstrap.Credentials c = bootstrap.ensureAdmin().orElseThrow();

        assertThat(store.users().findAll()).containsExactly(
                new User(id, "admin", "Boss", Role.SUPERADMIN, null));
        assertThat(PasswordHashing.verify(store.webPasswords().find(id).orElseThrow(), c.password())).isTrue();
    }

    @Test
    void wipeClearsThePasswordInMemory() {
        AdminBootstrap.Credentials c = bootstrap.ensureAdmin().orElseThrow();
        c.wipe();
        assertThat(new String(c.password())).containsOnlyOnce("\0".repeat(c.password().length));
    }
}
