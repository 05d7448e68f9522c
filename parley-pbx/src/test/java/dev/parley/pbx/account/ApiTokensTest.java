package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
import dev.parley.pbx.directory.UserId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApiTokensTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryApiTokenRepository repository = new InMemoryApiTokenRepository();
    private final ApiTokens tokens = new ApiTokens(repository, InstantSource.fixed(Instant.EPOCH));
    private final ApiTokens clocked = new ApiTokens(repository, now::get);
    private final UserId alice = new UserId("alice");

    @Test
    void sha256IsTheFipsVector() {
        // FIPS 180-2 appendix B.1: SHA-256("abc"), here in base64url
        assertThat(ApiTokens.hash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void aTokenIsPrefixed256RandomBitsAndOnlyItsHashIsStored() {
        ApiTokens.Issued a = clocked.issue(alice, " ci ", null);
        ApiTokens.Issued b = clocked.issue(alice, "ci", null);
        assertThat(a.secret()).matches("parley_[A-Za-z0-9_-]{43}").isNotEqualTo(b.secret());
        assertThat(a.stored().hash()).isEqualTo(ApiTokens.hash(a.secret()));
        assertThat(a.stored().name()).isEqualTo("ci");
        assertThat(a.toString()).doesNotContain(a.secret());
        assertThat(repository.findByUser(alice)).extracting(ApiTokenRepository.Stored::hash)
                .doesNotContain(a.secret(), b.secret());
    }

    @Test
    void authenticateFindsALiveTokenAndRefusesExpiredMalformedAndUnknownOnes() {
        String secret = clocked.issue(alice, "ci", Duration.ofDays(1)).secret();
        assertThat(clocked.authenticate(secret)).get().extracting(ApiTokenRepository.Stored::user).isEqualTo(alice);
        assertThat(clocked.authenticate(secret + "x")).isEmpty();
        assertThat(clocked.authenticate("parley_" + "A".repeat(43))).isEmpty();
        assertThat(clocked.authenticate(null)).isEmpty();
        now.set(now.get().plus(Duration.ofDays(1)).minusMillis(1));
        assertThat(clocked.authenticate(secret)).isPresent();
        now.set(now.get().plusMillis(1));
        assertThat(clocked.authenticate(secret)).as("expiry is exclusive").isEmpty();
    }

    @Test
    void lastUseIsWrittenBackAtMostOnceAMinute() {
        String secret = clocked.issue(alice, "ci", null).secret();
        Instant first = now.get();
        clocked.authenticate(secret);
        now.set(first.plusSeconds(59));
        assertThat(clocked.authenticate(secret).orElseThrow().lastUsed()).isEqualTo(first);
        assertThat(repository.findByUser(alice).getFirst().lastUsed()).isEqualTo(first);
        now.set(first.plusSeconds(60));
        clocked.authenticate(secret);
        assertThat(repository.findByUser(alice).getFirst().lastUsed()).isEqualTo(first.plusSeconds(60));
    }

    @Test
    void badNamesAndTooManyTokensAreRefused() {
        for (String name : new String[] {null, "", "   ", "a\nb", "x".repeat(ApiTokens.MAX_NAME + 1)}) {
            assertThatThrownBy(() -> tokens.issue(alice, name, null)).isInstanceOf(ApiTokens.Refused.class);
        }
        for (int i = 0; i < ApiTokens.MAX_PER_USER; i++) {
            tokens.issue(alice, "t" + i, null);
        }
        assertThatThrownBy(() -> tokens.issue(alice, "one more", null)).isInstanceOf(ApiTokens.Refused.class)
                .hasMessageContaining("revoke one first");
        assertThat(tokens.issue(new UserId("bob"), "bob's", null).secret()).startsWith("parley_");
    }
}
