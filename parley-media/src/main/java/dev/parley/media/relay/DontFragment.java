package dev.parley.media.relay;

import io.netty.channel.epoll.LinuxSocket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media socket's IPv4 "don't fragment" rule: its datagrams leave with DF set and IP ID 0
 * ({@code IP_PMTUDISC_PROBE}) until it first sends one longer than {@link #ALWAYS_UNFRAGMENTED} octets; from then on
 * the system's path MTU discovery ({@code IP_PMTUDISC_WANT}: fragments where a smaller path MTU is known).
 *
 * <p>Why: with the system default the kernel picks a fresh IP ID for every datagram from a hashed, shared counter
 * ({@code __ip_select_ident}, 2.3 % of the relay's CPU at 1,500 SRTP calls), because it may fragment them; RFC 6864
 * §4.1 lets an atomic datagram (DF set, not fragmented) carry any ID. Audio and WebRTC-sized packets fit every real
 * path (1,200 octets and the headers are under IPv6's 1,280-octet minimum MTU, which any path carrying tunnels
 * has), so only a socket relaying larger video packets goes back to fragmenting.
 */
final class DontFragment {
    private static final Logger log = LoggerFactory.getLogger(DontFragment.class);
    /** The longest datagram sent with DF set without asking for path MTU discovery (WebRTC's own limit too). */
    static final int ALWAYS_UNFRAGMENTED = 1200;
    // <linux/in.h>
    private static final int IPPROTO_IP = 0;
    private static final int IP_MTU_DISCOVER = 10;
    private static final int IP_PMTUDISC_PROBE = 3;

    private final LinuxSocket socket;
    /** The mode the socket was made with, while replaced; -1 once put back or when it could not be changed. */
    private int replaced;

    DontFragment(LinuxSocket socket) {
        this.socket = socket;
        int before;
        try {
            before = socket.getIntOpt(IPPROTO_IP, IP_MTU_DISCOVER);
            socket.setIntOpt(IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE);
        } catch (IOException e) {
            before = -1; // the kernel's default stays: the datagrams still go, with an IP ID each
        }
        this.replaced = before;
    }

    /** Before a datagram of {@code length} octets goes out. */
    void beforeSend(int length) {
        if (length > ALWAYS_UNFRAGMENTED && replaced >= 0) {
            int mode = replaced;
            replaced = -1;
            try {
                socket.setIntOpt(IPPROTO_IP, IP_MTU_DISCOVER, mode);
            } catch (IOException e) {
                log.debug("IP_MTU_DISCOVER back to {}: {}", mode, e.toString());
            }
        }
    }

    /** The mode the socket was made with, while it is replaced (else -1); for tests. */
    int replaced() {
        return replaced;
    }

    /** The socket's {@code IP_MTU_DISCOVER} mode now; for tests. */
    int mode() throws IOException {
        return socket.getIntOpt(IPPROTO_IP, IP_MTU_DISCOVER);
    }
}
