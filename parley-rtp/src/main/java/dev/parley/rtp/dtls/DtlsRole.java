package dev.parley.rtp.dtls;

import java.util.Locale;
import java.util.Optional;

/**
 * Which end of the DTLS handshake Parley plays. RFC 5763 §5 / RFC 4145 §4: the endpoint whose {@code a=setup} is
 * {@code active} opens the connection (DTLS client), {@code passive} waits for it (DTLS server). Parley offers
 * {@code actpass}, so the answerer's choice decides; when Parley answers a browser's {@code actpass} it answers
 * {@code passive} and is the server (RFC 8842 §5.3 lets the answerer pick; a server needs no extra round trip to
 * learn the browser's address, which ICE has already shown).
 */
public enum DtlsRole {
    CLIENT,
    SERVER;

    /**
     * The role Parley plays when its own, final {@code a=setup} value is {@code value} ({@code active} → client,
     * {@code passive} → server). {@code actpass} and {@code holdconn} decide nothing yet and give empty.
     */
    public static Optional<DtlsRole> forLocalSetup(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "active" -> Optional.of(CLIENT);
            case "passive" -> Optional.of(SERVER);
            default -> Optional.empty();
        };
    }

    /**
     * The role Parley plays given the peer's final {@code a=setup} value: the opposite of the peer's
     * ({@code active} peer → Parley is the server).
     */
    public static Optional<DtlsRole> forRemoteSetup(String value) {
        return forLocalSetup(value).map(role -> role == CLIENT ? SERVER : CLIENT);
    }
}
