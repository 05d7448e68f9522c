package dev.parley.sdp;

import dev.parley.sdp.attribute.SdpText;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>} (RFC 8866 §5.2).
 *
 * <p>Each leg of a B2BUA keeps its own origin: the session id stays, the version goes up by one with every new
 * offer or answer whose content changed (RFC 3264 §8), see {@link #withNextVersion()}. Ids are kept as text: the
 * grammar allows any number of digits and some peers write more than fit in a long.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
        String address) {

    public Origin {
        for (String f : List.of(username, sessionId, sessionVersion, netType, addrType, address)) {
            if (!SdpText.isVisible(f)) {
                throw new IllegalArgumentException("origin fields must be visible text without spaces: '" + f + "'");
            }
        }
    }

    /** A fresh origin for a leg Parley originates: {@code IN}, IP4 or IP6 by the address's form. */
    public static Origin of(String username, long sessionId, long sessionVersion, String address) {
        return new Origin(username, Long.toUnsignedString(sessionId), Long.toUnsignedString(sessionVersion), "IN",
                Connection.addrTypeOf(address), address);
    }

    /** The same session with its version increased by one (RFC 3264 §8: every changed offer/answer). */
    public Origin withNextVersion() {
        String next = SdpText.isDigits(sessionVersion)
                ? new BigInteger(sessionVersion).add(BigInteger.ONE).toString()
                : "1";
        return new Origin(username, sessionId, next, netType, addrType, address);
    }

    public Origin withAddress(String newAddress) {
        return new Origin(username, sessionId, sessionVersion, netType, Connection.addrTypeOf(newAddress),
                newAddress);
    }

    /** Whether {@code other} describes the same session (RFC 3264 §8: user, id, network and address). */
    public boolean sameSession(Origin other) {
        return username.equals(other.username) && sessionId.equals(other.sessionId) && netType.equals(other.netType)
                && addrType.equals(other.addrType) && address.equals(other.address);
    }

    static Optional<Origin> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Origin> parseFields(String value) {
        List<String> f = SdpText.fields(value);
        if (f == null || f.size() != 6 || !f.stream().allMatch(SdpText::isVisible)) {
            return Optional.empty();
        }
        return Optional.of(new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5)));
    }

    public String value() {
        return String.join(" ", username, sessionId, sessionVersion, netType, addrType, address);
    }
}
