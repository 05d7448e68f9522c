package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTimelineTest {
    @Test
    void slowSlotsAreListedWithTheirWorstLatenciesAndTheGeneratorsGap() {
        long from = 1_000_000_000L;
        LatencyTimeline t = new LatencyTimeline(from, 1); // 100 slots of 10 ms
        t.recordLatency(from + 1_000_000, 80_000); // slot 0: 80 µs, quiet
        t.recordLatency(from + 25_000_000, 3_500_000); // slot 2: 3.5 ms
        t.recordLatency(from + 26_000_000, 1_200_000); // slot 2: 1.2 ms
        t.recordLatency(from + 27_000_000, 90_000);
        t.recordSendToSocket(from + 25_500_000, 3_300_000); // slot 2: the relay held a stamped one 3.3 ms
        t.recordPassGap(from + 51_000_000, 4_000_000); // slot 5: the generator stalled 4 ms
        t.recordSend(from + 71_000_000, 300_000); // slot 7: two sends, on time-ish: quiet
        t.recordSend(from + 72_000_000, 600_000);
        t.recordSend(from + 81_000_000, 2_500_000); // slot 8: a send 2.5 ms late (a backlog), then one on time
        t.recordSend(from + 82_000_000, 0);
        t.recordSend(from - 1, 9_000_000); // before the window: not counted
        t.recordLatency(from - 1, 9_000_000); // before the window: not counted
        t.recordLatency(from + 1_000_000_000L, 9_000_000); // after it: not counted

        assertThat(t.slots()).isEqualTo(100);
        assertThat(t.slotsOver(1000)).isEqualTo(1);
        List<String> rows = t.rowsOver("7,srtp,parley,1500,1", 1000);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).startsWith("7,srtp,parley,1500,1,").endsWith(",3500,2,3,0,3300,0,0");
        assertThat(rows.get(1)).endsWith(",0,0,0,4000,0,0,0");
        assertThat(rows.get(2)).endsWith(",0,0,0,0,0,2500,2");
    }
}
