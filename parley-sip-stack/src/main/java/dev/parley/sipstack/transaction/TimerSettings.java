package dev.parley.sipstack.transaction;

import java.time.Duration;
import java.util.Objects;

/**
 * The timer values of RFC 3261 §17 (Table 4 of Appendix A) and RFC 6026 §8.4–8.5, derived from three base values.
 *
 * <table>
 *   <caption>Timers and their values</caption>
 *   <tr><th>timer</th><th>value</th><th>meaning</th></tr>
 *   <tr><td>A</td><td>T1, doubling</td><td>INVITE retransmission, unreliable transports only</td></tr>
 *   <tr><td>B</td><td>64·T1</td><td>INVITE client transaction timeout</td></tr>
 *   <tr><td>D</td><td>≥ 32 s UDP, 0 reliable</td><td>wait for response retransmissions after the ACK</td></tr>
 *   <tr><td>E</td><td>T1, doubling up to T2</td><td>non-INVITE retransmission, unreliable only</td></tr>
 *   <tr><td>F</td><td>64·T1</td><td>non-INVITE client transaction timeout</td></tr>
 *   <tr><td>G</td><td>T1, doubling up to T2</td><td>INVITE final response retransmission, unreliable only</td></tr>
 *   <tr><td>H</td><td>64·T1</td><td>wait for the ACK</td></tr>
 *   <tr><td>I</td><td>T4 UDP, 0 reliable</td><td>wait for ACK retransmissions</td></tr>
 *   <tr><td>J</td><td>64·T1 UDP, 0 reliable</td><td>wait for non-INVITE request retransmissions</td></tr>
 *   <tr><td>K</td><td>T4 UDP, 0 reliable</td><td>wait for non-INVITE response retransmissions</td></tr>
 *   <tr><td>L</td><td>64·T1</td><td>INVITE server Accepted state (RFC 6026 §8.5)</td></tr>
 *   <tr><td>M</td><td>64·T1</td><td>INVITE client Accepted state (RFC 6026 §8.4)</td></tr>
 * </table>
 *
 * @param t1 RTT estimate, default 500 ms
 * @param t2 maximum retransmission interval for non-INVITE requests and INVITE responses, default 4 s
 * @param t4 maximum time a message stays in the network, default 5 s
 * @param unreliableTimerD Timer D on unreliable transports, default 32 s (RFC 3261 §17.1.1.2: "at least 32 seconds")
 */
public record TimerSettings(Duration t1, Duration t2, Duration t4, Duration unreliableTimerD) {

    /** The values RFC 3261 recommends. */
    public static final TimerSettings DEFAULT =
            new TimerSettings(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(32));

    public TimerSettings {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        Objects.requireNonNull(unreliableTimerD, "unreliableTimerD");
        if (t1.isNegative() || t1.isZero() || t2.compareTo(t1) < 0 || t4.isNegative() || unreliableTimerD.isNegative()) {
            throw new IllegalArgumentException("timer values must be positive with T2 >= T1: T1=" + t1 + " T2=" + t2
                    + " T4=" + t4 + " D=" + unreliableTimerD);
        }
    }

    public TimerSettings withT1(Duration value) {
        return new TimerSettings(value, t2, t4, unreliableTimerD);
    }

    public TimerSettings withT2(Duration value) {
        return new TimerSettings(t1, value, t4, unreliableTimerD);
    }

    public TimerSettings withT4(Duration value) {
        return new TimerSettings(t1, t2, value, unreliableTimerD);
    }

    public Duration timerA() {
        return t1;
    }

    public Duration timerB() {
        return sixtyFourT1();
    }

    public Duration timerD(boolean reliable) {
        return reliable ? Duration.ZERO : unreliableTimerD;
    }

    public Duration timerE() {
        return t1;
    }

    public Duration timerF() {
        return sixtyFourT1();
    }

    public Duration timerG() {
        return t1;
    }

    public Duration timerH() {
        return sixtyFourT1();
    }

    public Duration timerI(boolean reliable) {
        return reliable ? Duration.ZERO : t4;
    }

    public Duration timerJ(boolean reliable) {
        return reliable ? Duration.ZERO : sixtyFourT1();
    }

    public Duration timerK(boolean reliable) {
        return reliable ? Duration.ZERO : t4;
    }

    public Duration timerL() {
        return sixtyFourT1();
    }

    public Duration timerM() {
        return sixtyFourT1();
    }

    /** The next retransmission interval of Timers E and G: doubled, capped at T2 (RFC 3261 §17.1.2.2, §17.2.1). */
    Duration doubledUpToT2(Duration interval) {
        Duration d = times(interval, 2);
        return d.compareTo(t2) > 0 ? t2 : d;
    }

    /**
     * {@code duration × factor}, exactly as {@link Duration#multipliedBy} (an {@link ArithmeticException} on
     * overflow), without the {@code BigDecimal} arithmetic that method does: timers are set several times per call,
     * and {@code multipliedBy} showed in the SIP load benchmark's CPU profile (docs/benchmarks.md, issue 3).
     */
    public static Duration times(Duration duration, int factor) {
        return Duration.ofSeconds(Math.multiplyExact(duration.getSeconds(), (long) factor),
                (long) duration.getNano() * factor);
    }

    private Duration sixtyFourT1() {
        return times(t1, 64);
    }
}
