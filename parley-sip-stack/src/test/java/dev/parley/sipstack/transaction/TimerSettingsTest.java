package dev.parley.sipstack.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerSettingsTest {
    @Test
    void timesIsExactlyMultipliedBy() {
        Duration[] durations = {Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofNanos(999_999_999),
                Duration.ofSeconds(4, 123_456_789), Duration.ofSeconds(-3, 5), Duration.ofNanos(-1)};
        int[] factors = {0, 1, 2, 3, 64, -2, 1_000_000};
        for (Duration d : durations) {
            for (int f : factors) {
                assertThat(TimerSettings.times(d, f)).as("%s × %d", d, f).isEqualTo(d.multipliedBy(f));
            }
        }
    }

    @Test
    void timesOverflowsAsMultipliedByDoes() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE / 2 + 1);
        assertThatThrownBy(() -> huge.multipliedBy(2)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> TimerSettings.times(huge, 2)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void rfc3261TableFourValuesFromTheDefaults() {
        TimerSettings t = TimerSettings.DEFAULT;
        // RFC 3261 Appendix A: B, F, H and J are 64*T1 = 32 s; E and G double up to T2 = 4 s
        assertThat(t.timerB()).isEqualTo(Duration.ofSeconds(32));
        assertThat(t.timerF()).isEqualTo(Duration.ofSeconds(32));
        assertThat(t.timerH()).isEqualTo(Duration.ofSeconds(32));
        assertThat(t.timerJ(false)).isEqualTo(Duration.ofSeconds(32));
        assertThat(t.doubledUpToT2(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.doubledUpToT2(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(4));
        assertThat(t.doubledUpToT2(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(4));
        assertThat(t.withT1(Duration.ofMillis(100)).timerL()).isEqualTo(Duration.ofMillis(6400));
    }
}
