package dev.parley.mediaapi;

/** Names one media endpoint (one leg's RTP/RTCP ports) for as long as it is open. */
public record EndpointId(long value) {
    @Override
    public String toString() {
        return "ep-" + value;
    }
}
