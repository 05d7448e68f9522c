package dev.parley.media.relay;

/** The durations an endpoint works with, in nanoseconds. */
public record RelayTimings(long mediaTimeoutNanos, long relatchAfterNanos, long rtcpIntervalNanos) {
}
