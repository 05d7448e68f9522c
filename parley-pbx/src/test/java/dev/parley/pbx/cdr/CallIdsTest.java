package dev.parley.pbx.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallIdsTest {
    @Test
    void rfc9562VersionSevenLayout() {
        // RFC 9562 Appendix A.6's example: 2022-02-22 19:22:22 UTC = 0x017F22E279B0 ms
        String id = CallIds.of(0x017F22E279B0L, 0xCC3L, 0x18C4DC0C0C07398FL);
        assertThat(id).isEqualTo("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
        UUID u = UUID.fromString(id);
        assertThat(u.version()).isEqualTo(7);
        assertThat(u.variant()).isEqualTo(2);
    }

    @Test
    void versionAndVariantHoldWhateverTheRandomBits() {
        UUID u = UUID.fromString(CallIds.of(1L, -1L, -1L));
        assertThat(u.version()).isEqualTo(7);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(u.getMostSignificantBits() >>> 16).isEqualTo(1L);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
        String earlier = CallIds.of(1_765_000_000_000L, -1L, -1L);
        String later = CallIds.of(1_765_000_000_001L, 0L, 0L);
        assertThat(later).isGreaterThan(earlier);
        assertThat(CallIds.next()).isGreaterThan(CallIds.of(System.currentTimeMillis() - 1000, -1L, -1L));
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomBits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(CallIds.next());
        }
        assertThat(ids).hasSize(10_000);
    }
}
