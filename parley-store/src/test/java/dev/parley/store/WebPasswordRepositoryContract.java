package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.WebPasswordRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link WebPasswordRepository} does. */
abstract class WebPasswordRepositoryContract {
    static final String HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
            + "RdescudvJCsgt3ub+b+dWRWJTmaaJObG2Dq3Ck6mZ8E";
    private WebPasswordRepository passwords;
    private User alice;
    private User bob;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        Repositories r = repositories();
        passwords = r.webPasswords();
        alice = user("alice");
        bob = user("bob");
        r.users().save(alice);
        r.users().save(bob);
    }

    @Test
    void userWithoutAHashHasNone() {
        assertThat(passwords.find(alice.id())).isEmpty();
    }

    @Test
    void setHashIsFoundExactlyAsGiven() {
        passwords.set(alice.id(), HASH);
        assertThat(passwords.find(alice.id())).contains(HASH);
        assertThat(passwords.find(bob.id())).isEmpty();
    }

    @Test
    void setReplacesThePreviousHash() {
        passwords.set(alice.id(), HASH);
        String next = "$argon2id$v=19$m=65536,t=3,p=4$b3RoZXJzYWx0b3RoZXJzYWx0$AAAA";
        passwords.set(alice.id(), next);
        assertThat(passwords.find(alice.id())).contains(next);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hunter2", "$", "$$x", "$Argon2id$v=19", "$argon2id", "$argon2id$has space",
            "$argon2id$tab\there"})
    void somethingThatIsNotAPhcStringIsRefusedWithoutEchoingIt(String notPhc) {
        passwords.set(alice.id(), HASH);
        assertThatThrownBy(() -> passwords.set(alice.id(), notPhc))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    if (notPhc.length() > 3) {
                        assertThat(e.getMessage()).doesNotContain(notPhc);
                    }
                });
        assertThat(passwords.find(alice.id())).contains(HASH);
    }
}
