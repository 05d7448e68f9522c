package dev.parley.server.runtime;

import dev.parley.server.admin.AdminBootstrap;
import dev.parley.server.config.Addresses;
import dev.parley.sipstack.flow.Transport;
import java.util.Map;

/** The first-start text with the admin's one-time password, printed to the console once and never logged. */
final class Banner {
    private Banner() {
    }

    /**
     * @param sipPorts the port of each SIP transport, -1 for one that does not listen
     * @param httpPort the HTTPS port, -1 when off
     */
    static String firstStart(AdminBootstrap.Credentials admin, String host, int httpPort,
            Map<Transport, Integer> sipPorts) {
        String urlHost = Addresses.urlHost(host);
        String line = "=".repeat(78);
        StringBuilder sb = new StringBuilder(1024).append('\n').append(line).append('\n');
        sb.append("  Parley first start: an admin account was created.\n\n");
        sb.append("    username   ").append(admin.username()).append('\n');
        sb.append("    password   ").append(admin.password()).append('\n');
        sb.append("               shown this once; change it after signing in\n\n");
        if (httpPort > 0) {
            sb.append("    web        https://").append(urlHost).append(':').append(httpPort).append("/\n");
            sb.append("    SIP/WSS    wss://").append(urlHost).append(':').append(httpPort).append("/ws\n");
            sb.append("               (the browser phone and admin UI arrive in a later release)\n");
        }
        sb.append("    SIP        ");
        boolean first = true;
        for (Transport t : new Transport[] {Transport.UDP, Transport.TCP, Transport.TLS}) {
            int port = sipPorts.getOrDefault(t, -1);
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(t.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(port < 0 ? "off" : urlHost + ":" + port);
        }
        sb.append("\n\n  Add a phone:  ./parley user add alice && ./parley extension add 101 --user alice\n");
        sb.append("                ./parley device add alice-desk --user alice\n");
        sb.append(line).append('\n');
        return sb.toString();
    }
}
