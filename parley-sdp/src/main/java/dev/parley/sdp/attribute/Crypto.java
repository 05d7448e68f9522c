package dev.parley.sdp.attribute;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]} (RFC 4568 §9.1): SDES keys for SRTP.
 *
 * <p>The key is a secret: {@link #toString()} prints {@code inline:<redacted>}, and the only way to the bytes is
 * {@link #masterKey()} / {@link #masterSalt()} / {@link KeyParam#keySalt()}.
 *
 * @param keyParams one or more, separated by ';' on the wire (several only with MKIs, RFC 4568 §6.1)
 * @param sessionParams e.g. {@code UNENCRYPTED_SRTCP}, {@code KDR=...} (§6.3), as written
 */
public record Crypto(int tag, String suite, List<KeyParam> keyParams, List<String> sessionParams) {
    public static final String NAME = "crypto";

    public Crypto {
        if (tag < 0 || tag > 999_999_999) {
            throw new IllegalArgumentException("crypto tag must be 1*9DIGIT, was " + tag);
        }
        if (!SdpText.isVisible(suite)) {
            throw new IllegalArgumentException("crypto suite must be a visible token");
        }
        keyParams = List.copyOf(keyParams);
        sessionParams = List.copyOf(sessionParams);
        if (keyParams.isEmpty()) {
            throw new IllegalArgumentException("a=crypto needs at least one key-param");
        }
        for (String p : sessionParams) {
            if (!SdpText.isVisible(p)) {
                throw new IllegalArgumentException("session params must be visible text");
            }
        }
    }

    /** An inline key with neither lifetime nor MKI, no session parameters: what Parley writes. */
    public static Crypto inline(int tag, CryptoSuite suite, byte[] keySalt) {
        if (keySalt.length != suite.keySaltLength()) {
            throw new IllegalArgumentException(suite + " needs " + suite.keySaltLength() + " bytes of key||salt, got "
                    + keySalt.length);
        }
        return new Crypto(tag, suite.sdesName(), List.of(KeyParam.inline(keySalt, null, null)), List.of());
    }

    public static Optional<Crypto> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Crypto> parseFields(String value) {
        List<String> f = SdpText.fields(value);
        if (f == null || f.size() < 3) {
            return Optional.empty();
        }
        OptionalInt tag = f.get(0).length() <= 9 ? SdpText.parseInt(f.get(0), 0, 999_999_999) : OptionalInt.empty();
        if (tag.isEmpty() || !SdpText.isVisible(f.get(1))) {
            return Optional.empty();
        }
        String[] keys = f.get(2).split(";", -1);
        KeyParam[] parsed = new KeyParam[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int colon = keys[i].indexOf(':');
            if (colon <= 0 || colon == keys[i].length() - 1 || !SdpText.isToken(keys[i].substring(0, colon))) {
                return Optional.empty();
            }
            parsed[i] = new KeyParam(keys[i].substring(0, colon), keys[i].substring(colon + 1));
            if (parsed[i].isInline() && !parsed[i].isWellFormedInline()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Crypto(tag.getAsInt(), f.get(1), List.of(parsed), f.subList(3, f.size())));
    }

    public Optional<CryptoSuite> knownSuite() {
        return CryptoSuite.fromSdesName(suite);
    }

    /** The master key of the first key-param, when the suite is known and the inline key has its length. */
    public Optional<byte[]> masterKey() {
        return keySaltChecked().map(ks -> java.util.Arrays.copyOf(ks, knownSuite().orElseThrow().masterKeyLength()));
    }

    /** The master salt of the first key-param, when the suite is known and the inline key has its length. */
    public Optional<byte[]> masterSalt() {
        return keySaltChecked().map(ks -> java.util.Arrays.copyOfRange(ks,
                knownSuite().orElseThrow().masterKeyLength(), ks.length));
    }

    /** The first key's key||salt when it is inline and as long as the (known) suite requires. */
    public Optional<byte[]> keySaltChecked() {
        Optional<CryptoSuite> s = knownSuite();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        return keyParams.get(0).keySalt().filter(ks -> ks.length == s.get().keySaltLength());
    }

    public String value() {
        StringBuilder b = new StringBuilder().append(tag).append(' ').append(suite).append(' ');
        for (int i = 0; i < keyParams.size(); i++) {
            b.append(i == 0 ? "" : ";").append(keyParams.get(i).value());
        }
        for (String p : sessionParams) {
            b.append(' ').append(p);
        }
        return b.toString();
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }

    /** The line with every key replaced by {@code <redacted>}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("a=crypto:").append(tag).append(' ').append(suite).append(' ');
        for (int i = 0; i < keyParams.size(); i++) {
            b.append(i == 0 ? "" : ";").append(keyParams.get(i));
        }
        for (String p : sessionParams) {
            b.append(' ').append(p);
        }
        return b.toString();
    }
}
