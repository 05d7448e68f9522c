package dev.parley.sipstack.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.Via;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 3261 §8.1.1.7. */
class BranchesTest {

    @Test
    void rfc3261_8_1_1_7_branchStartsWithTheMagicCookieAndIsAToken() {
        String branch = Branches.newBranch();
        assertThat(branch).startsWith("z9hG4bK").hasSize(7 + 16).matches("z9hG4bK[A-Za-z0-9_-]{16}");
        Via via = Via.parse("SIP/2.0/UDP host;branch=" + branch);
        assertThat(via.hasRfc3261Branch()).isTrue();
        assertThat(via.branch()).isEqualTo(branch);
    }

    @Test
    void rfc3261_8_1_1_7_branchesAreUniqueOverTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(Branches.newBranch())).isTrue();
        }
    }

    @Test
    void randomTokenHasTheAskedEntropy() {
        assertThat(Branches.randomToken(8)).hasSize(11);
        assertThat(Branches.randomToken(12)).hasSize(16);
    }
}
