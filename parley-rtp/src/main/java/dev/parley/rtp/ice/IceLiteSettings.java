package dev.parley.rtp.ice;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link IceLiteAgent}.
 *
 * @param consentTimeout how long the selected pair may go without a valid check before consent is lost
 *     (RFC 7675 §5.1: 30 s; browsers check about every 5 s)
 * @param maxPairs how many remote addresses the agent remembers at once (a browser checks one pair per
 *     candidate it has; the oldest unselected one is forgotten first)
 */
public record IceLiteSettings(Duration consentTimeout, int maxPairs) {
    public IceLiteSettings {
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        if (consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consentTimeout must be positive");
        }
        if (maxPairs < 2) {
            // The selected pair is never forgotten for a new one, so there must be room for one more.
            throw new IllegalArgumentException("maxPairs must be at least 2");
        }
    }

    /** 30 s consent, 8 remembered pairs. */
    public static IceLiteSettings defaults() {
        return new IceLiteSettings(Duration.ofSeconds(30), 8);
    }

    public IceLiteSettings withConsentTimeout(Duration timeout) {
        return new IceLiteSettings(timeout, maxPairs);
    }
}
