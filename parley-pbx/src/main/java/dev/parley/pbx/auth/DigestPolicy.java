package dev.parley.pbx.auth;

import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sipstack.flow.Transport;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How {@link DigestAuthenticator} challenges.
 *
 * <p>Defaults ({@link #of(String)}): algorithms SHA-256 then MD5 — one challenge header each, preferred first
 * (RFC 8760 §2.4, RFC 7616 §3.7), MD5 kept because most deployed desk phones know nothing else; nonces valid for 300
 * seconds; up to 100 000 nonces remembered for replay protection. Requests that came over WebSocket are challenged
 * with MD5 alone ({@link #challengeOrder}).
 *
 * @param realm the Digest realm (RFC 3261 §22.1: typically the PBX's domain); phones hash it into {@code H(A1)}
 * @param nonceLifetime how long a nonce is accepted; after that an otherwise correct answer is re-challenged with
 *     {@code stale=true} (RFC 7616 §3.3)
 * @param algorithms offered in this order; {@code -sess} variants are not offered
 * @param replayCacheSize how many used nonces are remembered with their highest {@code nc}; beyond that the oldest
 *     are forgotten and nonces as old as them are refused as stale (see {@link NonceCounts})
 */
public record DigestPolicy(String realm, Duration nonceLifetime, List<DigestAlgorithm> algorithms,
        int replayCacheSize) {

    public DigestPolicy {
        Objects.requireNonNull(realm, "realm");
        if (realm.isEmpty() || realm.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("a realm is non-empty text without control characters");
        }
        Objects.requireNonNull(nonceLifetime, "nonceLifetime");
        if (nonceLifetime.isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("nonceLifetime must be positive, not " + nonceLifetime);
        }
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty() || new HashSet<>(algorithms).size() != algorithms.size()) {
            throw new IllegalArgumentException("algorithms must be a non-empty list without repeats");
        }
        for (DigestAlgorithm a : algorithms) {
            if (a.isSession()) {
                throw new IllegalArgumentException(a.token() + ": -sess algorithms are not offered");
            }
        }
        if (replayCacheSize < 1) {
            throw new IllegalArgumentException("replayCacheSize must be at least 1");
        }
    }

    /**
     * The challenges for a request that arrived over {@code transport}: {@link #algorithms} as configured, except
     * that over WebSocket (WS, WSS) MD5 alone when it is configured at all.
     *
     * <p>Why: RFC 8760 §2.4 says a UAC should use the topmost challenge whose algorithm it supports, but the
     * browser SIP libraries do not. JsSIP 3.13 (which the browser phone uses) knows MD5 alone and keeps only one
     * {@code WWW-Authenticate}/{@code Proxy-Authenticate}: its parser calls {@code setHeader} for each, so the
     * <em>last</em> one wins (lib/Parser.js), and it gives up when that one is not MD5; other clients read the
     * first. With MD5 first (tried: the browser ITs then fail to register) or SHA-256 first, one of the two kinds
     * breaks; MD5 alone serves both. It costs little: a browser phone's credentials are 144-bit random secrets
     * handed out by the web server (no dictionary to try offline against the weaker hash), and over WSS the exchange
     * is inside TLS. Desk phones and softphones on UDP/TCP/TLS keep the preferred order, SHA-256 first. Any
     * configured algorithm is still accepted on any transport ({@link DigestAuthenticator}).
     */
    public List<DigestAlgorithm> challengeOrder(Transport transport) {
        boolean webSocket = transport == Transport.WS || transport == Transport.WSS;
        return webSocket && algorithms.contains(DigestAlgorithm.MD5) ? List.of(DigestAlgorithm.MD5) : algorithms;
    }

    public static DigestPolicy of(String realm) {
        return new DigestPolicy(realm, Duration.ofSeconds(300), List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5),
                100_000);
    }

    public DigestPolicy withNonceLifetime(Duration lifetime) {
        return new DigestPolicy(realm, lifetime, algorithms, replayCacheSize);
    }

    public DigestPolicy withAlgorithms(List<DigestAlgorithm> list) {
        return new DigestPolicy(realm, nonceLifetime, list, replayCacheSize);
    }

    public DigestPolicy withReplayCacheSize(int size) {
        return new DigestPolicy(realm, nonceLifetime, algorithms, size);
    }
}
