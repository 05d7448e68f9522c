package dev.parley.pbx.media;

import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.Crypto;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * SDES keys (RFC 4568): fresh ones for what Parley sends, and the checks a peer's {@code a=crypto} must pass before
 * Parley uses it for what it receives.
 *
 * <p>Every key Parley writes is new {@link SecureRandom} output, one per {@code a=crypto} line, so no two legs and
 * no two directions share a key (RFC 3711 §9.1 forbids reusing a key stream across streams; a shared key would also
 * let one peer decrypt the other's leg).
 */
public final class SdesKeys {
    /** What Parley offers, favourite first (RFC 4568 §5.1.1): the RFC 3711 default, then its short-tag variant. */
    public static final List<SrtpSuite> OFFERED = List.of(SrtpSuite.AES_CM_128_HMAC_SHA1_80,
            SrtpSuite.AES_CM_128_HMAC_SHA1_32);

    private final SecureRandom random;

    public SdesKeys(SecureRandom random) {
        this.random = random;
    }

    /** One {@code a=crypto} line per offered suite, tags 1, 2, ..., each with its own fresh key. */
    public List<Crypto> offer() {
        Crypto[] out = new Crypto[OFFERED.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fresh(i + 1, OFFERED.get(i));
        }
        return List.of(out);
    }

    /** A new key for {@code suite} under {@code tag}: the line of an answer (RFC 4568 §5.1.2, same tag). */
    public Crypto fresh(int tag, SrtpSuite suite) {
        CryptoSuite sdp = CryptoSuite.fromSdesName(suite.sdesName()).orElseThrow();
        byte[] keySalt = new byte[sdp.keySaltLength()];
        random.nextBytes(keySalt);
        try {
            return Crypto.inline(tag, sdp, keySalt);
        } finally {
            Arrays.fill(keySalt, (byte) 0);
        }
    }

    /**
     * The suite of a peer's {@code a=crypto} when Parley can use it: a suite the media plane speaks, one inline key
     * of the right length, no MKI (the media plane keys one context per direction) and no session parameters
     * (RFC 4568 §6.3: UNENCRYPTED_SRTP and friends weaken the protection, KDR and WSH change it; a line that asks for
     * them is skipped, and the next one tried).
     */
    public static Optional<SrtpSuite> usableSuite(Crypto crypto) {
        if (crypto.keyParams().size() != 1 || !crypto.sessionParams().isEmpty()
                || crypto.keyParams().getFirst().mki().isPresent() || crypto.keySaltChecked().isEmpty()) {
            return Optional.empty();
        }
        return SrtpSuite.fromSdesName(crypto.suite());
    }

    /** The peer's first usable line, in its order of preference. */
    public static Optional<Crypto> firstUsable(List<Crypto> cryptos) {
        return cryptos.stream().filter(c -> usableSuite(c).isPresent()).findFirst();
    }

    /** The media plane's view of a usable line. */
    public static Protection.Sdes protection(Crypto crypto) {
        SrtpSuite suite = usableSuite(crypto).orElseThrow(() -> new IllegalArgumentException(
                "not a usable crypto line: " + crypto));
        return new Protection.Sdes(suite, crypto.masterKey().orElseThrow(), crypto.masterSalt().orElseThrow());
    }
}
