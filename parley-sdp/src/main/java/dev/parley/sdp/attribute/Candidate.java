package dev.parley.sdp.attribute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code a=candidate:} (RFC 8839 §5.1):
 * <pre>
 * foundation SP component-id SP transport SP priority SP connection-address SP port SP "typ" SP cand-type
 *   [SP "raddr" SP connection-address] [SP "rport" SP port] *(SP extension-att-name SP extension-att-value)
 * </pre>
 * Browsers add extensions such as {@code generation 0}, {@code ufrag ...}, {@code network-id 1},
 * {@code tcptype passive}; they are kept in order. The address may be an mDNS name ({@code <uuid>.local}).
 *
 * @param relatedAddress {@code raddr}, or {@code null}
 * @param relatedPort {@code rport}, or -1
 * @param extensions name/value pairs in order
 */
public record Candidate(String foundation, int componentId, String transport, long priority, String address,
        int port, String type, String relatedAddress, int relatedPort, List<Extension> extensions) {
    public static final String NAME = "candidate";

    /** One extension attribute of a candidate line (RFC 8839 §5.1 {@code extension-att-name/value}). */
    public record Extension(String name, String value) {
        public Extension {
            if (!SdpText.isVisible(name) || !SdpText.isVisible(value)) {
                throw new IllegalArgumentException("candidate extension must be two visible tokens");
            }
        }
    }

    public Candidate {
        extensions = List.copyOf(extensions);
        if (!SdpText.isVisible(foundation) || foundation.length() > 32 || componentId < 1 || componentId > 256
                || !SdpText.isToken(transport) || priority < 0 || priority > 4_294_967_295L
                || !SdpText.isVisible(address) || port < 0 || port > 65_535 || !SdpText.isToken(type)
                || (relatedAddress != null && !SdpText.isVisible(relatedAddress))
                || relatedPort < -1 || relatedPort > 65_535) {
            throw new IllegalArgumentException("malformed ICE candidate");
        }
    }

    public static Optional<Candidate> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Candidate> parseFields(String value) {
        List<String> f = SdpText.fields(value);
        if (f == null || f.size() < 8 || !f.get(6).equals("typ")) {
            return Optional.empty();
        }
        OptionalInt component = SdpText.parseInt(f.get(1), 1, 256);
        OptionalLong priority = SdpText.parseLong(f.get(3), 4_294_967_295L);
        OptionalInt port = SdpText.parseInt(f.get(5), 0, 65_535);
        if (component.isEmpty() || priority.isEmpty() || port.isEmpty() || f.get(0).length() > 32
                || !SdpText.isToken(f.get(2)) || !SdpText.isToken(f.get(7))) {
            return Optional.empty();
        }
        int i = 8;
        String raddr = null;
        int rport = -1;
        if (i + 1 < f.size() && f.get(i).equals("raddr")) {
            raddr = f.get(i + 1);
            i += 2;
        }
        if (i + 1 < f.size() && f.get(i).equals("rport")) {
            OptionalInt rp = SdpText.parseInt(f.get(i + 1), 0, 65_535);
            if (rp.isEmpty()) {
                return Optional.empty();
            }
            rport = rp.getAsInt();
            i += 2;
        }
        if ((f.size() - i) % 2 != 0) {
            return Optional.empty();
        }
        List<Extension> ext = new ArrayList<>();
        for (; i < f.size(); i += 2) {
            ext.add(new Extension(f.get(i), f.get(i + 1)));
        }
        return Optional.of(new Candidate(f.get(0), component.getAsInt(), f.get(2), priority.getAsLong(), f.get(4),
                port.getAsInt(), f.get(7), raddr, rport, ext));
    }

    /** The value of the first extension with this name, e.g. {@code tcptype}, {@code ufrag}. */
    public Optional<String> extension(String name) {
        return extensions.stream().filter(e -> e.name.equals(name)).map(Extension::value).findFirst();
    }

    /** UDP, compared without case (RFC 8839 §5.1: "UDP" is case-insensitive; Firefox writes upper case). */
    public boolean isUdp() {
        return dev.parley.common.Ascii.equalsIgnoreCase(transport, "udp");
    }

    public String value() {
        StringBuilder b = new StringBuilder().append(foundation).append(' ').append(componentId).append(' ')
                .append(transport).append(' ').append(priority).append(' ').append(address).append(' ')
                .append(port).append(" typ ").append(type);
        if (relatedAddress != null) {
            b.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            b.append(" rport ").append(relatedPort);
        }
        for (Extension e : extensions) {
            b.append(' ').append(e.name).append(' ').append(e.value);
        }
        return b.toString();
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
