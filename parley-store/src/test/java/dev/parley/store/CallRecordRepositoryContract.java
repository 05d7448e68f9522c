package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.cdr.LegRecord;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CallRecordRepository} does. */
abstract class CallRecordRepositoryContract {
    private CallRecordRepository records;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        records = repositories().callRecords();
    }

    private static CallRecord answered(String id, Instant endedAt) {
        return new CallRecord(id, "call-" + id + "@10.0.0.5", "101", "+4930123456", "bob-desk", T0,
                T0.plusMillis(4_321), endedAt, 200, "answered-caller-hangup");
    }

    private static CallRecord missed(String id, Instant endedAt) {
        return new CallRecord(id, "call-" + id, "anonymous", "102", null, T0, null, endedAt, 487, "cancelled");
    }

    @Test
    void everyFieldReadsBackEqualIncludingNulls() {
        CallRecord a = answered("a", T0.plusSeconds(60));
        CallRecord m = missed("m", T0.plusSeconds(10));
        records.save(a);
        records.save(m);
        assertThat(records.recent(10)).containsExactly(a, m);
        CallRecord back = records.recent(10).get(1);
        assertThat(back.answeredAt()).isNull();
        assertThat(back.answeredBy()).isNull();
        assertThat(back.answered()).isFalse();
    }

    @Test
    void legsAndThePadlockReadBackEqual() {
        CallRecord secure = new CallRecord("s", "call-s", "101", "102", "bob-desk", T0, T0.plusSeconds(2),
                T0.plusSeconds(20), 200, "answered-caller-hangup",
                new LegRecord("TLS", "SRTP AES_CM_128_HMAC_SHA1_80", 900, 901),
                new LegRecord("TLS", "SRTP AEAD_AES_128_GCM", 901, 900), true);
        CallRecord mixed = new CallRecord("m", "call-m", "101", "102", "sipp", T0, T0.plusSeconds(2),
                T0.plusSeconds(30), 200, "media-timeout", new LegRecord("TLS", "SRTP AES_CM_128_HMAC_SHA1_80", 0,
                        5_000_000_000L), new LegRecord("UDP", "RTP", 0, 0), false);
        CallRecord ringing = new CallRecord("r", "call-r", "101", "102", null, T0, null, T0.plusSeconds(40), 487,
                "cancelled", new LegRecord("UDP", "RTP", 0, 0), null, false);
        records.save(secure);
        records.save(mixed);
        records.save(ringing);
        assertThat(records.recent(3)).containsExactly(ringing, mixed, secure);
        assertThat(records.recent(3).get(2).encryptedAllLegs()).isTrue();
        assertThat(records.recent(3).get(0).calleeLeg()).isNull();
    }

    @Test
    void recentIsNewestEndFirstWhateverTheOrderOfSaving() {
        CallRecord first = answered("1", T0.plusSeconds(30));
        CallRecord second = missed("2", T0.plusSeconds(90));
        CallRecord third = answered("3", T0.plusSeconds(60));
        records.save(first);
        records.save(second);
        records.save(third);
        assertThat(records.recent(3)).containsExactly(second, third, first);
        assertThat(records.recent(2)).containsExactly(second, third);
        assertThat(records.recent(0)).isEmpty();
    }

    @Test
    void negativeLimitIsRefused() {
        assertThatThrownBy(() -> records.recent(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
