package dev.parley.sdp.attribute;

import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One key-param of an {@code a=crypto} line (RFC 4568 §9.2): {@code <method>:<info>}; for the only method SRTP
 * defines, {@code inline:<base64 key||salt>[|<lifetime>][|<MKI>:<MKI length>]} (§6.1). The info is kept as written,
 * so an unusual base64 padding survives the round trip; the key is decoded only when asked for.
 *
 * <p>{@link #toString()} never shows the key: these values end up in logs of the control plane.
 */
public record KeyParam(String method, String info) {
    public KeyParam {
        if (!SdpText.isToken(method) || !SdpText.isVisible(info) || info.indexOf(';') >= 0) {
            throw new IllegalArgumentException("malformed crypto key-param");
        }
    }

    /** An inline key with optional lifetime (e.g. {@code 2^31}) and MKI ({@code value:length}), each may be null. */
    public static KeyParam inline(byte[] keySalt, String lifetime, String mki) {
        StringBuilder b = new StringBuilder(Base64.getEncoder().encodeToString(keySalt));
        if (lifetime != null) {
            b.append('|').append(lifetime);
        }
        if (mki != null) {
            b.append('|').append(mki);
        }
        return new KeyParam("inline", b.toString());
    }

    public boolean isInline() {
        return method.equals("inline");
    }

    private String[] parts() {
        return info.split("\\|", -1);
    }

    /** The decoded master key followed by the master salt, when this is an inline key in valid base64. */
    public Optional<byte[]> keySalt() {
        if (!isInline()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(parts()[0]));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** The lifetime field ({@code 2^31} or a decimal number), if present. */
    public Optional<String> lifetime() {
        String[] p = parts();
        for (int i = 1; i < p.length; i++) {
            if (p[i].indexOf(':') < 0) {
                return Optional.of(p[i]);
            }
        }
        return Optional.empty();
    }

    /** The MKI field {@code value:length}, if present. */
    public Optional<String> mki() {
        String[] p = parts();
        for (int i = 1; i < p.length; i++) {
            if (p[i].indexOf(':') >= 0) {
                return Optional.of(p[i]);
            }
        }
        return Optional.empty();
    }

    /** The MKI length in bytes, if an MKI is present and well formed. */
    public OptionalInt mkiLength() {
        return mki().map(m -> SdpText.parseInt(m.substring(m.indexOf(':') + 1), 1, 128))
                .orElse(OptionalInt.empty());
    }

    /** RFC 4568 §9.2 for the inline method: base64, then at most a lifetime and an MKI, in that order. */
    boolean isWellFormedInline() {
        String[] p = parts();
        if (p.length > 3 || keySalt().isEmpty() || p[0].isEmpty()) {
            return false;
        }
        boolean sawMki = false;
        for (int i = 1; i < p.length; i++) {
            String f = p[i];
            int colon = f.indexOf(':');
            if (colon >= 0) {
                if (sawMki || !SdpText.isDigits(f.substring(0, colon)) || mkiLength().isEmpty()) {
                    return false;
                }
                sawMki = true;
            } else if (sawMki || !(SdpText.isDigits(f) || (f.startsWith("2^") && SdpText.isDigits(f.substring(2))))) {
                return false;
            }
        }
        return true;
    }

    public String value() {
        return method + ":" + info;
    }

    @Override
    public String toString() {
        return method + ":<redacted>";
    }
}
