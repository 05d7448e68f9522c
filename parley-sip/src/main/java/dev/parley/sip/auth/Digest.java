package dev.parley.sip.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The arithmetic of HTTP Digest authentication as SIP uses it (RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 3261 §22.4,
 * RFC 8760): {@code H(A1)}, {@code H(A2)}, {@code response} and {@code userhash}, each returned as lower-case hex
 * ({@code LHEX}, RFC 7616 §3.4.1). It parses no header and keeps no state; which nonces are fresh, which {@code nc}
 * values were seen and where passwords or stored {@code H(A1)} values come from are the caller's business.
 *
 * <p>The computation, in the RFC's notation, with {@code KD(secret, data) = H(secret ":" data)}:
 *
 * <pre>
 *   ha1       = H(username ":" realm ":" password)                     {@link #ha1}
 *   ha1 -sess = H(ha1 ":" nonce ":" cnonce)                            {@link #ha1Session}
 *   ha2       = H(method ":" digest-uri)              qop=auth, absent {@link #ha2}
 *   ha2       = H(method ":" digest-uri ":" H(body))  qop=auth-int     {@link #ha2AuthInt}
 *   response  = KD(ha1, nonce ":" nc ":" cnonce ":" qop ":" ha2)       {@link #response}
 *   response  = KD(ha1, nonce ":" ha2)                qop absent       {@link #responseWithoutQop}
 *   userhash  = H(username ":" realm)                                  {@link #userhash}
 * </pre>
 *
 * <p>Every string is hashed as its UTF-8 bytes: UTF-8 is the only {@code charset} RFC 7616 §3.3 lets a server
 * announce (and the one its §3.9.2 example hashes a non-ASCII username in), and SIP is a UTF-8 protocol
 * (RFC 3261 §7), so a SIP username or realm outside ASCII can only mean UTF-8. Values are hashed exactly as
 * given: unquoting them ({@code unq()} in the RFC) is the header parser's job.
 *
 * <p>These methods are on the path of every REGISTER and every challenged INVITE. Each call clones a
 * {@link MessageDigest} prepared once per algorithm rather than asking the providers again
 * ({@code getInstance} searches them each time), and joins its inputs into one byte array instead of building
 * intermediate strings. Clones, not thread-locals, because requests may run on virtual threads, for which a
 * thread-local cache would be created per request and never reused. All methods are safe to call from any thread.
 */
public final class Digest {
    private static final HexFormat HEX = HexFormat.of();

    /** A never-updated instance per {@link DigestAlgorithm#ordinal()}, only ever cloned; null if unavailable. */
    private static final MessageDigest[] PROTOTYPES = new MessageDigest[DigestAlgorithm.values().length];

    static {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            try {
                MessageDigest prototype = MessageDigest.getInstance(algorithm.messageDigestName());
                prototype.clone(); // a provider that cannot clone leaves the slot null: getInstance per call
                PROTOTYPES[algorithm.ordinal()] = prototype;
            } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
                // left null: newDigest asks the providers per call, and says what is missing if none has it
            }
        }
    }

    private Digest() {
    }

    /**
     * {@code H(username ":" realm ":" password)}: {@code H(A1)} for the algorithms without {@code -sess}
     * (RFC 7616 §3.4.2, RFC 2617 §3.2.2.2), and the value a registrar can store instead of the password.
     * For a {@code -sess} algorithm this is the inner hash; pass it to {@link #ha1Session}.
     */
    public static String ha1(DigestAlgorithm algorithm, String username, String realm, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(password, "password");
        return hash(algorithm, username, realm, password);
    }

    /**
     * {@code H(A1)} for a {@code -sess} algorithm (RFC 7616 §3.4.2, RFC 2617 §3.2.2.2):
     * {@code H(H(username ":" realm ":" password) ":" nonce ":" cnonce)}, so a server that stores only {@code ha1}
     * can still answer.
     *
     * @param ha1 the value {@link #ha1} returns for the same algorithm
     * @throws IllegalArgumentException if {@code algorithm} is not a {@code -sess} one: its {@code H(A1)} is
     *     {@code ha1} itself
     */
    public static String ha1Session(DigestAlgorithm algorithm, String ha1, String nonce, String cnonce) {
        if (!algorithm.isSession()) {
            throw new IllegalArgumentException(algorithm.token() + " is not a -sess algorithm: use ha1 as H(A1)"
                    + " directly");
        }
        Objects.requireNonNull(ha1, "ha1");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(cnonce, "cnonce");
        return hash(algorithm, ha1, nonce, cnonce);
    }

    /**
     * {@code H(method ":" digest-uri)}: {@code H(A2)} when {@code qop} is {@code auth} or absent
     * (RFC 7616 §3.4.3, RFC 2617 §3.2.2.3). In SIP the method is the request's and {@code digest-uri} is the
     * {@code uri} parameter as sent, normally the Request-URI (RFC 3261 §22.4).
     */
    public static String ha2(DigestAlgorithm algorithm, String method, String digestUri) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(digestUri, "digestUri");
        return hash(algorithm, method, digestUri);
    }

    /**
     * {@code H(method ":" digest-uri ":" H(entity-body))}: {@code H(A2)} when {@code qop=auth-int}
     * (RFC 7616 §3.4.3, RFC 2617 §3.2.2.3). In SIP the body is the message body as sent, and an empty body hashes
     * as the empty string (RFC 3261 §22.4).
     */
    public static String ha2AuthInt(DigestAlgorithm algorithm, String method, String digestUri, byte[] body) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(digestUri, "digestUri");
        Objects.requireNonNull(body, "body");
        MessageDigest md = newDigest(algorithm);
        String bodyHash = HEX.formatHex(md.digest(body)); // digest() resets md, so it serves again below
        return hash(md, method, digestUri, bodyHash);
    }

    /**
     * {@code KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2))}: the {@code response} when the credentials carry
     * a {@code qop} (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1).
     *
     * @param ha1 {@code H(A1)}: from {@link #ha1}, or from {@link #ha1Session} for a {@code -sess} algorithm
     * @param nc the nonce count exactly as sent, eight hex digits such as {@code 00000001}
     * @param qop {@code auth} or {@code auth-int}, as chosen by the client
     * @param ha2 from {@link #ha2} or {@link #ha2AuthInt}, matching {@code qop}
     */
    public static String response(DigestAlgorithm algorithm, String ha1, String nonce, String nc, String cnonce,
            String qop, String ha2) {
        Objects.requireNonNull(ha1, "ha1");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(nc, "nc");
        Objects.requireNonNull(cnonce, "cnonce");
        Objects.requireNonNull(qop, "qop");
        Objects.requireNonNull(ha2, "ha2");
        return hash(algorithm, ha1, nonce, nc, cnonce, qop, ha2);
    }

    /**
     * {@code KD(H(A1), nonce ":" H(A2))}: the {@code response} of credentials without {@code qop}, the RFC 2069
     * form that RFC 2617 §3.2.2.1 keeps for compatibility and that RFC 3261 §22.4 says SIP servers must still
     * be able to receive (while always offering {@code qop} themselves).
     * It binds no client nonce and no count, so it protects less against replay and chosen-plaintext attacks
     * (RFC 2617 §4.9); whether to accept it is a policy decision for the caller.
     */
    public static String responseWithoutQop(DigestAlgorithm algorithm, String ha1, String nonce, String ha2) {
        Objects.requireNonNull(ha1, "ha1");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(ha2, "ha2");
        return hash(algorithm, ha1, nonce, ha2);
    }

    /**
     * {@code H(username ":" realm)}: the value a client sends as {@code username} when {@code userhash=true}
     * (RFC 7616 §3.4.4). The server finds the user by comparing it with this value computed for each of its users
     * in the realm. It does not enter {@code H(A1)}, which is always over the plain username.
     */
    public static String userhash(DigestAlgorithm algorithm, String username, String realm) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        return hash(algorithm, username, realm);
    }

    /**
     * Compares a computed digest with a received one in time that does not depend on where they differ.
     *
     * <p>Why: an ordinary {@code equals} returns at the first differing character, so the time a server takes to
     * reject a forged {@code response} tells the forger how many of its leading digits were right. Trying digit
     * after digit against one nonce, an attacker could learn the expected response without ever knowing the
     * password, in thousands of attempts instead of the 2<sup>128</sup> or more that the attacks weighed in
     * RFC 7616 §5 assume. {@link MessageDigest#isEqual} looks at every byte of its first argument whatever the
     * contents; its time depends on the length of that argument only, and the expected digest's length is public
     * ({@link DigestAlgorithm#hexLength()}), so a received value of the wrong length reveals nothing either.
     *
     * <p>The comparison is exact: RFC 7616 §3.4.1 and RFC 2617 §3.2.2 write digests in lower-case hex, which is
     * what this class produces. A caller wishing to tolerate upper-case digits from a lax client may lower-case
     * {@code actualHex} first; that depends only on the attacker's own input and leaks nothing.
     *
     * @param expectedHex the value computed here; its length sets the running time
     * @param actualHex the value received; {@code null} (the parameter was missing) is simply unequal
     */
    public static boolean constantTimeEquals(String expectedHex, String actualHex) {
        Objects.requireNonNull(expectedHex, "expectedHex");
        if (actualHex == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHex.getBytes(UTF_8), actualHex.getBytes(UTF_8));
    }

    /** {@code H(p0 ":" p1 ":" ...)} as lower-case hex. */
    private static String hash(DigestAlgorithm algorithm, String... parts) {
        return hash(newDigest(algorithm), parts);
    }

    private static String hash(MessageDigest md, String... parts) {
        int length = parts.length - 1; // the colons
        for (String part : parts) {
            length += utf8Length(part);
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                joined[at++] = ':';
            }
            at = encodeUtf8(parts[i], joined, at);
        }
        return HEX.formatHex(md.digest(joined));
    }

    private static MessageDigest newDigest(DigestAlgorithm algorithm) {
        MessageDigest prototype = PROTOTYPES[algorithm.ordinal()];
        if (prototype != null) {
            try {
                return (MessageDigest) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError("cloning was tried when the prototype was made", e);
            }
        }
        try {
            return MessageDigest.getInstance(algorithm.messageDigestName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("No security provider implements " + algorithm.messageDigestName()
                    + ", needed for Digest algorithm " + algorithm.token() + ": run on a JDK whose SUN provider is"
                    + " present, or stop offering " + algorithm.token() + " in challenges", e);
        }
    }

    /**
     * The length of {@code s} in UTF-8, with an unpaired surrogate counted as the one byte {@code '?'} that
     * {@link String#getBytes(java.nio.charset.Charset)} would write for it.
     */
    private static int utf8Length(String s) {
        int n = s.length();
        int length = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                length += 1;
            } else if (!Character.isSurrogate(c)) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 2; // two chars, four bytes
                i++;
            }
        }
        return length;
    }

    /** Writes {@code s} as UTF-8 into {@code out} at {@code at}, sized by {@link #utf8Length}; returns the end. */
    private static int encodeUtf8(String s, byte[] out, int at) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[at++] = (byte) (0xF0 | (cp >> 18));
                out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[at++] = '?';
            }
        }
        return at;
    }
}
