package dev.parley.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SsrcTableTest {
    @Test
    void startsSmallAndGrowsToWhatTheCapNeedsKeepingEveryStream() {
        SsrcTable<String> table = new SsrcTable<>(64);
        assertThat(table.slots()).as("one stream needs two slots, not 128").isEqualTo(2);
        Map<Integer, String> put = new LinkedHashMap<>();
        Random random = new Random(7);
        while (put.size() < 64) {
            int ssrc = put.size() < 8 ? put.size() + 1 : random.nextInt(); // 1, 2, 3...: a peer may count
            if (put.containsKey(ssrc)) {
                continue;
            }
            table.put(ssrc, "s" + ssrc);
            put.put(ssrc, "s" + ssrc);
            assertThat(table.slots()).as("at most half full").isGreaterThanOrEqualTo(2 * table.size());
            put.forEach((k, v) -> assertThat(table.get(k)).isEqualTo(v));
        }
        assertThat(table.slots()).isEqualTo(128);
        assertThat(table.isFull()).isTrue();
        assertThat(table.get(0)).isNull();
        assertThat(table.get(-99)).isNull();
        assertThatThrownBy(() -> table.put(12345, "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCapOfOneNeverGrows() {
        SsrcTable<String> table = new SsrcTable<>(1);
        table.put(42, "a");
        assertThat(table.slots()).isEqualTo(2);
        assertThat(table.get(42)).isEqualTo("a");
        assertThat(table.get(43)).isNull();
        assertThat(table.isFull()).isTrue();
    }
}
