package dev.parley.server.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP address literals and the machine's own addresses; never resolves a name (no DNS at startup). */
public final class Addresses {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");
    /** RFC 1123 labels of 1 to 63 letters, digits and inner hyphens, dot-separated, at most 253 in all. */
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)" + LABEL + "(\\." + LABEL + ")*\\.?");

    /** 0.0.0.0; after the patterns, which {@link #literal} needs. */
    static final InetAddress WILDCARD_V4 = literal("0.0.0.0").orElseThrow();

    private Addresses() {
    }

    /** The address if {@code text} is an IPv4 or IPv6 literal (IPv6 with or without brackets), else empty. */
    public static Optional<InetAddress> literal(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = IPV4.matcher(s).matches();
        boolean v6 = s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s)); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** True for an IP literal or a syntactically valid DNS name (RFC 1123 labels). */
    static boolean isHost(String text) {
        return literal(text).isPresent() || HOST_NAME.matcher(text).matches();
    }

    /** {@code host} as a URL writes it: an IPv6 literal in brackets, everything else as it is. */
    public static String urlHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * The first IPv4 address, by interface index, of an interface that is up and not loopback; skips link-local
     * (169.254/16) addresses, which peers elsewhere cannot reach.
     */
    public static Optional<InetAddress> firstNonLoopbackIpv4() {
        try {
            List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
            interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
            for (NetworkInterface nif : interfaces) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return Optional.of(a);
                    }
                }
            }
        } catch (SocketException | NullPointerException e) {
            // no interfaces to look at (a locked-down container): fall back to the caller's default
        }
        return Optional.empty();
    }
}
