package dev.parley.pbx.media;

import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.offeranswer.KeySupplier;
import dev.parley.sdp.offeranswer.SdesKeys;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The SDES keys (RFC 4568) Parley sends with on one leg: one fresh {@link SecureRandom} key per suite, made the
 * first time offer/answer asks for it and handed out again for that suite afterwards, so a re-INVITE or a hold keeps
 * the key (RFC 4568 §7.1.4 allows either; keeping it avoids a gap while the peer switches). Each leg has its own
 * instance, so no two legs and no two directions share a key (RFC 3711 §9.1 forbids reusing a key stream across
 * streams; a shared key would also let one peer decrypt the other's leg).
 */
final class LegKeys implements KeySupplier {
    /** What Parley offers, favourite first (RFC 4568 §5.1.1): the RFC 3711 default, then its short-tag variant. */
    static final List<CryptoSuite> OFFERED = List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_80,
            CryptoSuite.AES_CM_128_HMAC_SHA1_32);

    private final SecureRandom random;
    private final Map<CryptoSuite, byte[]> keys = new EnumMap<>(CryptoSuite.class);

    LegKeys(SecureRandom random) {
        this.random = random;
    }

    @Override
    public byte[] keySalt(CryptoSuite suite) {
        return keys.computeIfAbsent(suite, s -> {
            byte[] k = new byte[s.keySaltLength()];
            random.nextBytes(k);
            return k;
        }).clone();
    }

    /** The media plane's view of negotiated keys: Parley sends with its own, receives with the peer's. */
    static Protection send(SdesKeys k) {
        return new Protection.Sdes(suite(k.suite()), k.localMasterKey(), k.localMasterSalt());
    }

    static Protection receive(SdesKeys k) {
        return new Protection.Sdes(suite(k.suite()), k.remoteMasterKey(), k.remoteMasterSalt());
    }

    /** The media API's name for a suite; offer/answer only accepts suites the media plane speaks. */
    static SrtpSuite suite(CryptoSuite s) {
        return SrtpSuite.fromSdesName(s.sdesName()).orElseThrow(() -> new IllegalArgumentException(
                "the media plane does not speak " + s.sdesName()));
    }

    /** {@link #mediaPlaneSuites()}, made once: offer/answer asks for it on every offer and answer. */
    private static final List<CryptoSuite> MEDIA_PLANE_SUITES = java.util.Arrays.stream(SrtpSuite.values())
            .map(s -> CryptoSuite.fromSdesName(s.sdesName()).orElseThrow()).toList();

    /** The SDES suites the media plane speaks, for {@code AnswerPolicy.suites}. */
    static List<CryptoSuite> mediaPlaneSuites() {
        return MEDIA_PLANE_SUITES;
    }
}
