package dev.parley.sdp.attribute;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code a=rtcp:<port> [<nettype> <addrtype> <connection-address>]} (RFC 3605 §2.1): where the writer receives
 * RTCP when it is not on RTP port + 1.
 *
 * @param netType {@code IN}, or {@code null} when the line has no address
 */
public record Rtcp(int port, String netType, String addrType, String address) {
    public static final String NAME = "rtcp";

    public Rtcp {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("RTCP port must be 0..65535, was " + port);
        }
        if ((netType == null) != (addrType == null) || (netType == null) != (address == null)) {
            throw new IllegalArgumentException("give all of nettype, addrtype, address or none");
        }
        if (netType != null && !(SdpText.isToken(netType) && SdpText.isToken(addrType)
                && SdpText.isVisible(address))) {
            throw new IllegalArgumentException("malformed rtcp address");
        }
    }

    public static Rtcp port(int port) {
        return new Rtcp(port, null, null, null);
    }

    public static Rtcp of(int port, String address) {
        return new Rtcp(port, "IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    public Optional<String> addressIfPresent() {
        return Optional.ofNullable(address);
    }

    public static Optional<Rtcp> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Rtcp> parseFields(String value) {
        List<String> f = SdpText.fields(value);
        if (f == null || (f.size() != 1 && f.size() != 4)) {
            return Optional.empty();
        }
        OptionalInt port = SdpText.parseInt(f.get(0), 0, 65_535);
        if (port.isEmpty()) {
            return Optional.empty();
        }
        if (f.size() == 1) {
            return Optional.of(port(port.getAsInt()));
        }
        if (!SdpText.isToken(f.get(1)) || !SdpText.isToken(f.get(2)) || !SdpText.isVisible(f.get(3))) {
            return Optional.empty();
        }
        return Optional.of(new Rtcp(port.getAsInt(), f.get(1), f.get(2), f.get(3)));
    }

    public String value() {
        return netType == null ? Integer.toString(port) : port + " " + netType + " " + addrType + " " + address;
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
