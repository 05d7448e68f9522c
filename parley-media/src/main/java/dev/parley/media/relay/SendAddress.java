package dev.parley.media.relay;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A destination as the kernel's {@code sendto} takes it: the 16-octet address (an IPv4 address in its IPv4-mapped
 * IPv6 form, RFC 4291 §2.5.5.2, as Netty's native code expects), scope and port, made once per destination. Netty's
 * public {@code Socket.sendTo} makes two arrays per datagram for this ({@code InetAddress.getAddress}'s copy and the
 * mapped form); an endpoint keeps the one for where it sends and builds a new one only when that changes.
 *
 * @param address what it was made from (compared by identity: an endpoint's target stays the same object)
 * @param octets 16 octets, never modified
 * @param ipv6 whether the destination is an IPv6 address (an IPv4 one may still go out of an IPv6 socket)
 */
record SendAddress(InetSocketAddress address, byte[] octets, int scopeId, int port, boolean ipv6) {

    static SendAddress of(InetSocketAddress to) {
        InetAddress ip = to.getAddress();
        if (ip instanceof Inet6Address v6) {
            return new SendAddress(to, v6.getAddress(), v6.getScopeId(), to.getPort(), true);
        }
        byte[] v4 = ip.getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, mapped, 12, 4);
        return new SendAddress(to, mapped, 0, to.getPort(), false);
    }
}
