package dev.parley.rtp.dtls;

/**
 * Why a DTLS-SRTP session ended without keys, or lost its connection. No key material ever goes in
 * {@code detail}: it holds the TLS alert's name or a short reason.
 *
 * @param reason what went wrong, for counters and decisions
 * @param detail text for a debug log line
 */
public record DtlsFailure(Reason reason, String detail) {
    public enum Reason {
        /** The peer's certificate does not match the {@code a=fingerprint} of its SDP (RFC 5763 §5): no media. */
        FINGERPRINT_MISMATCH,
        /** The peer presented no certificate (a DTLS-SRTP client must, RFC 5763 §5). */
        NO_CERTIFICATE,
        /** No {@code use_srtp} profile in common, or the peer did not negotiate {@code use_srtp} at all. */
        NO_SRTP_PROFILE,
        /** The handshake was not done within {@link DtlsSettings#handshakeTimeout()}. */
        TIMEOUT,
        /** The peer sent a fatal alert. */
        ALERT_RECEIVED,
        /** Parley aborted the handshake for a protocol error (malformed or unexpected message, bad signature...). */
        PROTOCOL_ERROR
    }
}
