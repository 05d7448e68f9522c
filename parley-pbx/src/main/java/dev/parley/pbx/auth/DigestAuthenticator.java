package dev.parley.pbx.auth;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.header.Credentials;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of requests from local devices (RFC 3261 §22, RFC 7616, RFC 8760).
 *
 * <h2>The challenge</h2>
 * REGISTER is challenged with {@code 401 Unauthorized} and {@code WWW-Authenticate}; every other request with
 * {@code 407 Proxy Authentication Required} and {@code Proxy-Authenticate}, as Asterisk and Kamailio do (a PBX is
 * the proxy of its phones). One header per offered algorithm, preferred first (RFC 8760 §2.4) — by default SHA-256
 * then MD5, but MD5 alone for requests that came over WebSocket, whose browser SIP libraries keep only one of the
 * headers ({@link DigestPolicy#challengeOrder}) — all with the same nonce, {@code qop="auth"} and the configured
 * realm:
 *
 * <pre>
 *   WWW-Authenticate: Digest realm="pbx.example", nonce="…", algorithm=SHA-256, qop="auth"
 *   WWW-Authenticate: Digest realm="pbx.example", nonce="…", algorithm=MD5, qop="auth"
 * </pre>
 *
 * <h2>No user enumeration</h2>
 * Every refusal is that same challenge with a fresh nonce, whatever the cause: no credentials, unknown user, wrong
 * password, forged nonce, unusable parameters. Only the two cases where the response was <em>correct</em> differ,
 * by {@code stale=true}. The challenge is built from the realm, the nonce and the request's own headers only, so a
 * known and an unknown user get the same bytes apart from nonce and To tag. The time taken is the same too: for an
 * unknown username the response is computed against the {@code H(A1)} of a random dummy password (which nothing
 * can match) and compared with {@link Digest#constantTimeEquals}, exactly as for a known one.
 *
 * <h2>Order of checks</h2>
 * <ol>
 *   <li>Credentials for this realm (Authorization for REGISTER, Proxy-Authorization otherwise; RFC 3261 §22.3)? If
 *       none: challenge, {@link ChallengeReason#NO_CREDENTIALS}.</li>
 *   <li>Is the nonce ours ({@link Nonces})? If not: challenge, {@link ChallengeReason#INVALID_NONCE}. The response
 *       is not even computed: verifying a password against a nonce we did not issue would make a replay-free
 *       password oracle.</li>
 *   <li>Algorithm offered, {@code qop=auth}, {@code cnonce} present, {@code nc} eight hex digits? Then compute
 *       the response and compare. Any of these wrong, or the response wrong, or the user unknown:
 *       {@link ChallengeReason#WRONG_CREDENTIALS}, the only failure that counts towards a ban.</li>
 *   <li>Correct but the nonce is past its lifetime: challenge with {@code stale=true}
 *       ({@link ChallengeReason#STALE_NONCE}; RFC 7616 §3.3 — only a correct response earns {@code stale}).</li>
 *   <li>Correct but this nonce was already used with this or a higher {@code nc} ({@link NonceCounts}): challenge
 *       with {@code stale=true} ({@link ChallengeReason#REPLAYED_NONCE}); an honest client retries with the new
 *       nonce, a replayer gains nothing.</li>
 * </ol>
 *
 * <p>Not checked: that the {@code uri} parameter equals the Request-URI (phones differ in what they write there, and
 * the {@code nc} check already stops reuse); the From user (RFC 3261 does not tie it to the Digest username — the
 * registrar checks which AOR a device may register).
 *
 * <p>Never logged: passwords, {@code H(A1)}, responses. Thread-safe.
 */
public final class DigestAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DigestAuthenticator.class);
    private static final String QOP_AUTH = "auth";
    private static final HexFormat HEX = HexFormat.of();
    /** Stands in for the nonce in the precomputed challenge texts: base64url has no '~'. */
    private static final String NONCE_MARK = "~nonce~";

    private final DigestPolicy policy;
    private final DeviceRepository devices;
    private final Clock clock;
    private final SecureRandom random;
    private final Nonces nonces;
    private final NonceCounts counts;
    /** Stands in for the password of a username nobody has; random per instance, so no H(A1) of it is known. */
    private final String dummyPassword;
    /**
     * Each offered algorithm's challenge header value, as {@link Challenge#digest} writes it, split around the nonce:
     * [0] before and [1] after it without {@code stale}, [2] and [3] with {@code stale=true}. Written once here so that
     * a challenge costs one string concatenation per header instead of building and writing a parameter list.
     */
    private final Map<DigestAlgorithm, String[]> challengeTexts = new EnumMap<>(DigestAlgorithm.class);

    /** An authenticator with a random nonce key: nonces die with the process. */
    public DigestAuthenticator(DigestPolicy policy, DeviceRepository devices, Clock clock, SecureRandom random) {
        this(policy, devices, clock, random, randomKey(random));
    }

    /**
     * An authenticator with a given nonce key (at least 32 bytes), for nodes that must accept each other's nonces or
     * survive a restart with phones that pre-authenticate with their last nonce.
     */
    public DigestAuthenticator(DigestPolicy policy, DeviceRepository devices, Clock clock, SecureRandom random,
            byte[] nonceKey) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.nonces = new Nonces(nonceKey, policy.nonceLifetime(), clock, random);
        this.counts = new NonceCounts(policy.replayCacheSize());
        byte[] dummy = new byte[24];
        random.nextBytes(dummy);
        this.dummyPassword = HEX.formatHex(dummy);
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            String[] texts = new String[4];
            for (int stale = 0; stale < 2; stale++) {
                String text = Challenge.digest(policy.realm(), NONCE_MARK, a.token(), QOP_AUTH, null, stale == 1)
                        .toString();
                int at = text.indexOf(NONCE_MARK);
                texts[2 * stale] = text.substring(0, at);
                texts[2 * stale + 1] = text.substring(at + NONCE_MARK.length());
            }
            challengeTexts.put(a, texts);
        }
    }

    public DigestPolicy policy() {
        return policy;
    }

    /**
     * Authenticates {@code request}.
     *
     * @throws IllegalArgumentException for ACK and CANCEL, which cannot be challenged (RFC 3261 §22.1: they are
     *     accepted or refused with the request they belong to)
     * @throws dev.parley.sip.text.SipSyntaxException if an Authorization or Proxy-Authorization header is malformed;
     *     the caller answers 400
     */
    public AuthResult authenticate(SipRequest request) {
        return authenticate(request, null);
    }

    /**
     * Authenticates {@code request}, which arrived over {@code transport}: a challenge lists the algorithms in
     * {@link DigestPolicy#challengeOrder} for that transport ({@code null}: the configured order).
     *
     * @throws IllegalArgumentException for ACK and CANCEL (see {@link #authenticate(SipRequest)})
     * @throws dev.parley.sip.text.SipSyntaxException if an Authorization or Proxy-Authorization header is malformed
     */
    public AuthResult authenticate(SipRequest request, Transport transport) {
        String method = request.method();
        Credentials creds = pick(offeredCredentials(request));
        if (creds == null) {
            return challenge(request, ChallengeReason.NO_CREDENTIALS, null, transport);
        }
        String username = creds.username();
        String nonce = creds.nonce();
        Nonces.Check check = nonces.check(nonce);
        if (check.status() == Nonces.Status.INVALID) {
            LOG.debug("invalid nonce in credentials for {}", method);
            return challenge(request, ChallengeReason.INVALID_NONCE, username, transport);
        }

        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.fromTokenOrDefault(creds.algorithm())
                .filter(policy.algorithms()::contains);
        String cnonce = creds.cnonce();
        String nc = creds.nonceCount();
        long count = parseNonceCount(nc);
        boolean wellFormed = username != null && algorithm.isPresent() && QOP_AUTH.equals(creds.qop())
                && cnonce != null && count >= 0 && creds.uri() != null && creds.response() != null;
        if (!wellFormed) {
            // no user lookup and no hashing: nothing here depends on whether the user exists
            return challenge(request, ChallengeReason.WRONG_CREDENTIALS, username, transport);
        }

        DigestAlgorithm alg = algorithm.get();
        Optional<Device> device = devices.findBySipUsername(username);
        String password = device.map(d -> d.secret().reveal()).orElse(dummyPassword);
        String ha1 = Digest.ha1(alg, username, policy.realm(), password);
        String ha2 = Digest.ha2(alg, method, creds.uri());
        String expected = Digest.response(alg, ha1, nonce, nc, cnonce, QOP_AUTH, ha2);
        // lower-casing the received value depends only on the attacker's input (see Digest.constantTimeEquals)
        boolean matches = Digest.constantTimeEquals(expected, lowerHex(creds.response()));
        if (!matches | device.isEmpty()) {
            return challenge(request, ChallengeReason.WRONG_CREDENTIALS, username, transport);
        }
        if (check.status() == Nonces.Status.STALE) {
            return challenge(request, ChallengeReason.STALE_NONCE, username, transport);
        }
        if (!counts.accept(nonce, check.issuedAtMillis(), count, clock.millis(), nonces.lifetimeMillis())) {
            return challenge(request, ChallengeReason.REPLAYED_NONCE, username, transport);
        }
        return new AuthResult.Authenticated(device.get(), alg);
    }

    /**
     * The challenge to {@code request} when it carries no Digest credentials for our realm — the first INVITE of
     * every call and the first REGISTER of every registration — or {@code null} when it carries some, for
     * {@link #authenticate} to check. The answer is exactly what {@link #authenticate} sends for
     * {@link ChallengeReason#NO_CREDENTIALS} (not a failure: nothing to count towards a ban). It reads no directory
     * and does not block, so a SIP lane can answer it at once instead of handing the request to a blocking thread
     * and back.
     *
     * @throws IllegalArgumentException for ACK and CANCEL (see {@link #authenticate(SipRequest)})
     * @throws dev.parley.sip.text.SipSyntaxException if an Authorization or Proxy-Authorization header is malformed
     */
    public SipResponse challengeWithoutCredentials(SipRequest request, Transport transport) {
        return pick(offeredCredentials(request)) == null ? challenge(request, false, transport) : null;
    }

    /** Authorization for a REGISTER, Proxy-Authorization otherwise (RFC 3261 §22.2, §22.3); never ACK or CANCEL. */
    private static List<Credentials> offeredCredentials(SipRequest request) {
        String method = request.method();
        if (SipMethod.ACK.equals(method) || SipMethod.CANCEL.equals(method)) {
            throw new IllegalArgumentException(method + " cannot be challenged (RFC 3261 §22.1)");
        }
        return SipMethod.REGISTER.equals(method) ? request.authorizations() : request.proxyAuthorizations();
    }

    /**
     * Whether {@code device}, once authenticated, may send requests over {@code transport}: a browser phone's
     * session-bound credentials ({@link DeviceRepository#webSocketOnly}) only over WSS, since they are handed to a
     * signed-in page and nothing else should use them; every stored device over any transport. Callers answer 403
     * otherwise (the credentials were right, so this reveals nothing a guesser could use).
     */
    public boolean mayUse(Device device, Transport transport) {
        return transport == Transport.WSS || !devices.webSocketOnly(device);
    }

    /**
     * The challenge answer to {@code request}: what {@link #authenticate} sends. Exposed for callers that decide
     * without credentials that a request must authenticate.
     */
    public SipResponse challenge(SipRequest request, boolean stale) {
        return challenge(request, stale, null);
    }

    /**
     * The challenge answer to {@code request}, which arrived over {@code transport}, the algorithms in
     * {@link DigestPolicy#challengeOrder} for it ({@code null}: the configured order).
     */
    public SipResponse challenge(SipRequest request, boolean stale, Transport transport) {
        boolean register = SipMethod.REGISTER.equals(request.method());
        HeaderName name = (register ? HeaderType.WWW_AUTHENTICATE : HeaderType.PROXY_AUTHENTICATE).name();
        SipResponse.Builder b = SipResponse.to(request, register ? 401 : 407);
        Address to = request.to();
        if (to.tag() == null) {
            b.to(to.withTag(newTag()));
        }
        String nonce = nonces.issue();
        List<DigestAlgorithm> order = transport == null ? policy.algorithms() : policy.challengeOrder(transport);
        int at = stale ? 2 : 0;
        for (DigestAlgorithm a : order) {
            String[] texts = challengeTexts.get(a);
            b.add(name, texts[at] + nonce + texts[at + 1]); // = Challenge.digest(realm, nonce, …).toString()
        }
        return b.build();
    }

    private AuthResult challenge(SipRequest request, ChallengeReason reason, String username, Transport transport) {
        boolean stale = reason == ChallengeReason.STALE_NONCE || reason == ChallengeReason.REPLAYED_NONCE;
        return new AuthResult.Challenged(challenge(request, stale, transport), reason, username);
    }

    /**
     * The Digest credentials for our realm, preferring ones whose algorithm we offer (a phone may answer several of
     * the challenges); {@code null} if none is for our realm.
     */
    private Credentials pick(List<Credentials> offered) {
        Credentials fallback = null;
        for (Credentials c : offered) {
            if (!c.isDigest() || !policy.realm().equals(c.realm())) {
                continue;
            }
            Optional<DigestAlgorithm> a = DigestAlgorithm.fromTokenOrDefault(c.algorithm());
            if (a.isPresent() && policy.algorithms().contains(a.get())) {
                return c;
            }
            if (fallback == null) {
                fallback = c;
            }
        }
        return fallback;
    }

    /** {@code nc} as eight hex digits (RFC 7616 §3.4: {@code nc-value = 8LHEX}), or -1. */
    static long parseNonceCount(String nc) {
        if (nc == null || nc.length() != 8) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int d = Character.digit(nc.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static String lowerHex(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'F') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return sb == null ? s : sb.toString();
    }

    private String newTag() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    private static byte[] randomKey(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }
}
