package dev.parley.sdp;

import dev.parley.sdp.attribute.SdpText;
import java.util.List;
import java.util.Optional;

/**
 * {@code c=<nettype> <addrtype> <connection-address>} (RFC 8866 §5.7). The address stays text: resolving it is
 * the media plane's business, and this module does no I/O (no DNS). For multicast the address carries
 * {@code /ttl[/count]}; {@link #host()} strips it.
 */
public record Connection(String netType, String addrType, String address) {

    public Connection {
        for (String f : List.of(netType, addrType, address)) {
            if (!SdpText.isVisible(f)) {
                throw new IllegalArgumentException("connection fields must be visible text without spaces");
            }
        }
    }

    /** {@code IN IP4 <address>} or {@code IN IP6 <address>} depending on whether the address contains ':'. */
    public static Connection of(String address) {
        return new Connection("IN", addrTypeOf(address), address);
    }

    static String addrTypeOf(String address) {
        return address.indexOf(':') >= 0 ? "IP6" : "IP4";
    }

    /** The address without a multicast TTL or count. */
    public String host() {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    /**
     * Whether this is the RFC 3264 §8.4 / RFC 2543 hold address {@code 0.0.0.0}: old phones put a call on hold by
     * writing it instead of {@code a=sendonly}.
     */
    public boolean isUnspecified() {
        return host().equals("0.0.0.0") || host().equals("::");
    }

    static Optional<Connection> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Connection> parseFields(String value) {
        List<String> f = SdpText.fields(value);
        if (f == null || f.size() != 3) {
            return Optional.empty();
        }
        return Optional.of(new Connection(f.get(0), f.get(1), f.get(2)));
    }

    public String value() {
        return netType + " " + addrType + " " + address;
    }
}
