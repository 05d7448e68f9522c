package dev.parley.server.config;

import dev.parley.pbx.PbxConfig;
import dev.parley.pbx.account.ClosedAccountCalls;
import dev.parley.pbx.auth.DigestPolicy;
import dev.parley.pbx.registrar.RegistrarPolicy;
import dev.parley.pbx.security.AddressBlock;
import dev.parley.pbx.security.BanPolicy;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sipstack.transport.TransportConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Parley reads at startup, as typed records with the defaults a new user gets. Everything else (users,
 * extensions, devices, trunks) is data in the database.
 *
 * <p>{@link ConfigLoader} builds one from {@code parley.yml}, {@code PARLEY_*} environment variables and command-line
 * options, checking every value; {@link #defaults()} is the configuration with no file, no variables and no options.
 * A few settings default to something derived from others; those are {@code null} in the records and resolved by the
 * methods of this class ({@link #certificatePath()}, {@link #databaseUrl()}, {@link #realm()}, ...).
 *
 * <p>Section by section, with the YAML names ({@code section.key}) and defaults:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code sip.bind-address}</td><td>0.0.0.0</td><td>IP address every SIP listener binds to</td></tr>
 *   <tr><td>{@code sip.advertised-host}</td><td>auto</td><td>host written in Via and Contact; auto: the first
 *       non-loopback IPv4 address of the machine when bound to the wildcard, else the bind address</td></tr>
 *   <tr><td>{@code sip.udp-port}, {@code sip.tcp-port}, {@code sip.tls-port}</td><td>5060, 5060, 5061</td>
 *       <td>-1 disables the listener, 0 takes any free port</td></tr>
 *   <tr><td>{@code sip.udp-receive-buffer}</td><td>4194304</td><td>bytes of SO_RCVBUF asked for on the UDP SIP
 *       socket (Linux grants twice this, capped by net.core.rmem_max; Parley logs what it got)</td></tr>
 *   <tr><td>{@code tls.certificate}, {@code tls.key}</td><td>{@code <data>/tls/cert.pem}, {@code key.pem}</td>
 *       <td>PEM files; when both defaults are absent a self-signed certificate is generated there</td></tr>
 *   <tr><td>{@code web.bind-address}</td><td>{@code sip.bind-address}</td><td>IP address the HTTPS (and redirect)
 *       port binds to</td></tr>
 *   <tr><td>{@code web.https-port}</td><td>8443</td><td>HTTPS: web UI, {@code /api}, SIP over WebSocket at
 *       {@code /ws}; -1 turns the web server off, 0 takes any free port</td></tr>
 *   <tr><td>{@code web.http-redirect-port}</td><td>-1 (off)</td><td>a plain-HTTP port that only answers 308 to
 *       the HTTPS URL</td></tr>
 *   <tr><td>{@code web.session-idle-timeout}</td><td>30m</td><td>a web session unused this long is ended on the
 *       server (1 minute to 1 day)</td></tr>
 *   <tr><td>{@code web.require-totp-for-admins}</td><td>false</td><td>true: an admin without TOTP may sign in but
 *       reach only {@code /api/me}, {@code /api/me/totp*} and sign-out until enrolled</td></tr>
 *   <tr><td>{@code media.bind-address}</td><td>{@code sip.bind-address}</td><td>IP address the RTP/RTCP sockets
 *       bind to. The wildcard {@code 0.0.0.0} (the default) answers on every address of the host, with IPv4-only
 *       sockets when the advertised address is IPv4 ({@code ::} for dual-stack ones, for phones whose SDP names an
 *       IPv6 address); each call's RTP socket is {@code connect}ed to the peer it latched to (no route lookup per
 *       packet) when the route back to the peer leaves by the address the peer sends to, else stays unconnected (a
 *       multi-homed host whose route back leaves by another address; an IPv6 peer). One address: always
 *       connected, and packets leave from that address whatever the route</td></tr>
 *   <tr><td>{@code media.advertised-address}</td><td>auto</td><td>IP address written in the SDP Parley sends
 *       ({@code c=}); auto: {@code sip.advertised-host} when it is an IP address, else the media bind address when
 *       specific, else the first non-loopback IPv4 address</td></tr>
 *   <tr><td>{@code media.port-min}, {@code media.port-max}</td><td>20000, 29999</td><td>UDP ports for RTP and
 *       RTCP (each call takes four)</td></tr>
 *   <tr><td>{@code media.timeout}</td><td>30s</td><td>no RTP for this long on an answered, non-held call ends it
 *       (BYE with {@code Reason: SIP;cause=408})</td></tr>
 *   <tr><td>{@code media.webrtc-port}</td><td>auto: {@code media.port-min}</td><td>the one UDP port every browser
 *       leg shares (RFC 7983 demultiplexing, ICE username → leg); inside the range's firewall rule, so it needs no
 *       rule of its own; -1: each browser leg takes ports of the range</td></tr>
 *   <tr><td>{@code media.webrtc-consent-timeout}</td><td>30s</td><td>a browser leg with no ICE consent check this
 *       long is gone (RFC 7675), 10s-5m</td></tr>
 *   <tr><td>{@code data.directory}</td><td>./data</td><td>database, TLS material, secret key, recordings</td></tr>
 *   <tr><td>{@code database.url}</td><td>{@code jdbc:sqlite:<data>/parley.db}</td><td>SQLite or
 *       {@code jdbc:postgresql://...}</td></tr>
 *   <tr><td>{@code database.user}, {@code database.password}</td><td>none</td><td>for PostgreSQL</td></tr>
 *   <tr><td>{@code pbx.realm}</td><td>advertised host if set, else {@code parley}</td><td>Digest realm</td></tr>
 *   <tr><td>{@code pbx.digest-algorithms}</td><td>[SHA-256, MD5]</td><td>offered in this order, one challenge
 *       each; MD5 first for phones that only read the first challenge (sipp)</td></tr>
 *   <tr><td>{@code pbx.no-answer-timeout}</td><td>30s</td><td>how long a call rings</td></tr>
 *   <tr><td>{@code pbx.dnd-status}</td><td>486</td><td>what a call to a user in do-not-disturb gets: 486 Busy Here
 *       or 480 Temporarily Unavailable</td></tr>
 *   <tr><td>{@code pbx.min-expires}, {@code max-expires}, {@code default-expires}</td><td>60, 7200, 3600</td>
 *       <td>registration lifetimes in seconds</td></tr>
 *   <tr><td>{@code pbx.max-contacts}</td><td>10</td><td>registered contacts per address of record</td></tr>
 *   <tr><td>{@code security.ban-threshold}</td><td>5</td><td>failures within the window that ban a source</td></tr>
 *   <tr><td>{@code security.ban-window}, {@code security.ban-time}</td><td>60s, 15m</td><td></td></tr>
 *   <tr><td>{@code security.trusted-networks}</td><td>none</td><td>CIDR blocks never banned</td></tr>
 *   <tr><td>{@code shutdown.drain-deadline}</td><td>30s</td><td>how long calls may go on after a stop</td></tr>
 *   <tr><td>{@code shutdown.retry-after}</td><td>10s</td><td>Retry-After on 503 answers while draining</td></tr>
 *   <tr><td>{@code mail.smtp-host}</td><td>none</td><td>SMTP server for account mail; none: the mail (its link)
 *       is written to the log at INFO</td></tr>
 *   <tr><td>{@code mail.smtp-port}</td><td>by {@code mail.security}: 587, 465, 25</td><td></td></tr>
 *   <tr><td>{@code mail.security}</td><td>starttls</td><td>{@code starttls} (required), {@code tls} (implicit),
 *       {@code none}</td></tr>
 *   <tr><td>{@code mail.from}</td><td>{@code parley@<advertised host>}</td><td>sender address</td></tr>
 *   <tr><td>{@code mail.smtp-username}, {@code mail.smtp-password}</td><td>none</td><td>SMTP AUTH; not with
 *       {@code mail.security none}</td></tr>
 *   <tr><td>{@code accounts.closed-account-calls}</td><td>anonymize</td><td>what closing an account does to the
 *       user's call records: {@code anonymize} keeps them with {@code closed-account} in place of the user's name,
 *       numbers and devices; {@code delete} deletes them, which also removes those calls from the other parties'
 *       history</td></tr>
 * </table>
 */
public record ParleyConfig(Sip sip, Tls tls, Web web, Media media, Data data, Database database, Pbx pbx,
        Security security, Shutdown shutdown, Mail mail, Accounts accounts) {

    /** Port value that disables a listener. */
    public static final int DISABLED = -1;
    /** Port value that takes any free port. */
    public static final int ANY_PORT = 0;
    /** Realm when neither {@code pbx.realm} nor {@code sip.advertised-host} is set. */
    public static final String DEFAULT_REALM = "parley";

    public ParleyConfig {
        Objects.requireNonNull(sip, "sip");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(web, "web");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(pbx, "pbx");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(accounts, "accounts");
    }

    /** With the default {@code accounts.*} settings (closed accounts' call records anonymized). */
    public ParleyConfig(Sip sip, Tls tls, Web web, Media media, Data data, Database database, Pbx pbx,
            Security security, Shutdown shutdown, Mail mail) {
        this(sip, tls, web, media, data, database, pbx, security, shutdown, mail, Accounts.defaults());
    }

    /** With the default {@code mail.*} settings (no SMTP server: mail goes to the log). */
    public ParleyConfig(Sip sip, Tls tls, Web web, Media media, Data data, Database database, Pbx pbx,
            Security security, Shutdown shutdown) {
        this(sip, tls, web, media, data, database, pbx, security, shutdown, Mail.defaults());
    }

    /**
     * SIP listeners.
     *
     * @param bindAddress an IP address literal; {@code 0.0.0.0} or {@code ::} for every address
     * @param advertisedHost a host name or IP peers can reach us at, or {@code null} for auto
     */
    public record Sip(InetAddress bindAddress, String advertisedHost, int udpPort, int tcpPort, int tlsPort,
            int udpReceiveBuffer) {
        public Sip {
            Objects.requireNonNull(bindAddress, "bindAddress");
        }
    }

    /** Certificate and key PEM files; {@code null} means the default under the data directory. */
    public record Tls(Path certificate, Path key) {
    }

    /**
     * The web server.
     *
     * @param bindAddress an IP address literal, or {@code null} for {@code sip.bind-address}
     * @param httpsPort the HTTPS port; {@link ParleyConfig#DISABLED} turns the web server (and SIP over WebSocket)
     *     off
     * @param httpRedirectPort a plain-HTTP port that only redirects, or {@link ParleyConfig#DISABLED}
     * @param sessionIdleTimeout how long a web session may stay unused before the server ends it
     * @param requireTotpForAdmins an admin without TOTP may sign in but do nothing except enroll
     */
    public record Web(InetAddress bindAddress, int httpsPort, int httpRedirectPort, Duration sessionIdleTimeout,
            boolean requireTotpForAdmins) {
        /** The default session idle timeout: 30 minutes. */
        public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);

        /** Admins not held to TOTP. */
        public Web(InetAddress bindAddress, int httpsPort, int httpRedirectPort, Duration sessionIdleTimeout) {
            this(bindAddress, httpsPort, httpRedirectPort, sessionIdleTimeout, false);
        }

        /** With the default session idle timeout. */
        public Web(InetAddress bindAddress, int httpsPort, int httpRedirectPort) {
            this(bindAddress, httpsPort, httpRedirectPort, DEFAULT_SESSION_IDLE_TIMEOUT);
        }

        public Web {
            Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
            if (httpsPort == DISABLED && httpRedirectPort != DISABLED) {
                throw new ConfigException("web.http-redirect-port (" + httpRedirectPort + ") redirects to HTTPS, but"
                        + " web.https-port is -1 (off); turn HTTPS on or set the redirect port to -1");
            }
        }
    }

    /**
     * The media plane.
     *
     * @param bindAddress an IP address literal, or {@code null} for {@code sip.bind-address}
     * @param advertisedAddress the IP address peers send media to, or {@code null} for auto
     *     ({@link ParleyConfig#mediaAdvertisedAddress()})
     * @param timeout how long an answered, non-held call may go without RTP before Parley ends it
     * @param webRtcPort the one UDP port every browser leg shares; {@code null}: auto, {@code port-min} (the range's
     *     relay ports then start at {@code port-min + 2}); {@link ParleyConfig#DISABLED}: each browser leg gets
     *     ports of the range
     * @param webRtcConsentTimeout how long a browser leg may go without an ICE consent check (RFC 7675)
     */
    public record Media(InetAddress bindAddress, InetAddress advertisedAddress, int portMin, int portMax,
            Duration timeout, Integer webRtcPort, Duration webRtcConsentTimeout) {
        /** The default ICE consent limit: RFC 7675 §5.1's 30 s. */
        public static final Duration DEFAULT_WEBRTC_CONSENT_TIMEOUT = Duration.ofSeconds(30);

        public Media {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(webRtcConsentTimeout, "webRtcConsentTimeout");
            if (portMin > portMax) {
                throw new ConfigException("media.port-min (" + portMin + ") is above media.port-max (" + portMax
                        + "); give the lowest port first, e.g. 20000 and 29999");
            }
            if (portMax - portMin < 3) {
                throw new ConfigException("media.port-min (" + portMin + ") to media.port-max (" + portMax
                        + ") holds fewer than 4 ports, not enough for one call (RTP and RTCP for each leg);"
                        + " the default is 20000 to 29999");
            }
            if (webRtcPort != null && webRtcPort != DISABLED && webRtcPort != portMin
                    && webRtcPort >= portMin && webRtcPort <= portMax) {
                throw new ConfigException("media.webrtc-port (" + webRtcPort + ") lies inside media.port-min ("
                        + portMin + ") to media.port-max (" + portMax + "), whose ports are handed to calls; use a"
                        + " port outside the range, or leave it out to take media.port-min (" + portMin + ")");
            }
        }

        /** WebRTC port auto and the default consent limit. */
        public Media(InetAddress bindAddress, InetAddress advertisedAddress, int portMin, int portMax,
                Duration timeout) {
            this(bindAddress, advertisedAddress, portMin, portMax, timeout, null, DEFAULT_WEBRTC_CONSENT_TIMEOUT);
        }

        /** Only the port range, everything else default (for tests and the defaults). */
        public Media(int portMin, int portMax) {
            this(null, null, portMin, portMax, Duration.ofSeconds(30));
        }

        /** The shared WebRTC port in effect: {@code port-min} when auto, {@link ParleyConfig#DISABLED} when off. */
        public int effectiveWebRtcPort() {
            return webRtcPort == null ? portMin : webRtcPort;
        }

        /**
         * The first port handed to calls: {@code port-min + 2} when the shared WebRTC port took {@code port-min}
         * (two, so that RTP stays on even ports, RFC 3550 §11), else {@code port-min}.
         */
        public int relayPortMin() {
            return effectiveWebRtcPort() == portMin ? portMin + 2 : portMin;
        }
    }

    public record Data(Path directory) {
        public Data {
            Objects.requireNonNull(directory, "directory");
        }
    }

    /**
     * Where the store keeps its tables.
     *
     * @param url a JDBC URL, or {@code null} for the SQLite file {@code <data>/parley.db}
     */
    public record Database(String url, String user, String password) {
        /** Never shows the password. */
        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=" + (password == null ? null : "(set)") + "]";
        }
    }

    /**
     * Call and registration behaviour.
     *
     * @param realm the Digest realm, or {@code null} for the default (see {@link ParleyConfig#realm()})
     * @param digestAlgorithms the Digest algorithms offered, in order; no {@code -sess} variants
     */
    public record Pbx(String realm, List<DigestAlgorithm> digestAlgorithms, Duration noAnswerTimeout,
            long minExpires, long maxExpires, long defaultExpires, int maxContacts, int dndStatus) {
        public Pbx {
            if (dndStatus != 486 && dndStatus != 480) {
                throw new ConfigException("pbx.dnd-status is " + dndStatus + "; use 486 (Busy Here, the default) or"
                        + " 480 (Temporarily Unavailable)");
            }
            digestAlgorithms = List.copyOf(digestAlgorithms);
            Objects.requireNonNull(noAnswerTimeout, "noAnswerTimeout");
            if (!(minExpires <= defaultExpires && defaultExpires <= maxExpires)) {
                throw new ConfigException("pbx.min-expires (" + minExpires + ") <= pbx.default-expires ("
                        + defaultExpires + ") <= pbx.max-expires (" + maxExpires + ") does not hold; the defaults"
                        + " are 60 <= 3600 <= 7200");
            }
        }

        /** With the default {@code pbx.dnd-status} (486). */
        public Pbx(String realm, List<DigestAlgorithm> digestAlgorithms, Duration noAnswerTimeout, long minExpires,
                long maxExpires, long defaultExpires, int maxContacts) {
            this(realm, digestAlgorithms, noAnswerTimeout, minExpires, maxExpires, defaultExpires, maxContacts, 486);
        }
    }

    /** Brute-force protection. */
    public record Security(int banThreshold, Duration banWindow, Duration banTime, List<AddressBlock> trustedNetworks) {
        public Security {
            Objects.requireNonNull(banWindow, "banWindow");
            Objects.requireNonNull(banTime, "banTime");
            trustedNetworks = List.copyOf(trustedNetworks);
        }
    }

    public record Shutdown(Duration drainDeadline, Duration retryAfter) {
        public Shutdown {
            Objects.requireNonNull(drainDeadline, "drainDeadline");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** Account policies: {@code closedAccountCalls} is {@code accounts.closed-account-calls}. */
    public record Accounts(ClosedAccountCalls closedAccountCalls) {
        public Accounts {
            Objects.requireNonNull(closedAccountCalls, "closedAccountCalls");
        }

        public static Accounts defaults() {
            return new Accounts(ClosedAccountCalls.ANONYMIZE);
        }
    }

    /**
     * Outgoing mail (account flows: sign-up confirmation, password reset, email change).
     *
     * @param smtpHost the SMTP server, or {@code null}: no mail is sent, the messages go to the log at INFO
     * @param smtpPort the port, or {@code null} for the usual one of {@code security} (587, 465, 25)
     * @param from the sender address, or {@code null} for {@code parley@<sip.advertised-host>}
     * @param smtpUsername for SMTP AUTH, or {@code null} for none
     * @param smtpPassword never shown
     */
    public record Mail(String smtpHost, Integer smtpPort, String from, String smtpUsername, String smtpPassword,
            Security security) {
        /** How the connection to the SMTP server is protected. */
        public enum Security { STARTTLS, TLS, NONE }

        public Mail {
            Objects.requireNonNull(security, "security");
            if (smtpUsername != null && smtpHost == null) {
                throw new ConfigException("mail.smtp-username is set but mail.smtp-host is not; set the SMTP server"
                        + " or remove the username");
            }
            if (smtpUsername != null && security == Security.NONE) {
                throw new ConfigException("mail.smtp-username is set with mail.security none: the password would"
                        + " cross the network in clear; use mail.security starttls or tls");
            }
        }

        public static Mail defaults() {
            return new Mail(null, null, null, null, null, Security.STARTTLS);
        }

        /** {@code mail.smtp-port}, or 587 for STARTTLS, 465 for TLS, 25 for none. */
        public int effectivePort() {
            if (smtpPort != null) {
                return smtpPort;
            }
            return switch (security) {
                case STARTTLS -> 587;
                case TLS -> 465;
                case NONE -> 25;
            };
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "Mail[smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", from=" + from + ", smtpUsername="
                    + smtpUsername + ", smtpPassword=" + (smtpPassword == null ? null : "(set)") + ", security="
                    + security + "]";
        }
    }

    /** {@code mail.from}, or {@code parley@<advertised host>}. */
    public String mailFrom() {
        if (mail.from() != null) {
            return mail.from();
        }
        String host = advertisedHost();
        return "parley@" + (host.indexOf(':') >= 0 ? "[IPv6:" + host + "]" : host);
    }

    /** The configuration of a new install: no file, no environment, no options; data in {@code ./data}. */
    public static ParleyConfig defaults() {
        return new ParleyConfig(
                new Sip(Addresses.WILDCARD_V4, null, 5060, 5060, 5061, TransportConfig.DEFAULT_UDP_RECEIVE_BUFFER),
                new Tls(null, null),
                new Web(null, 8443, DISABLED),
                new Media(20000, 29999),
                new Data(Path.of("data").toAbsolutePath()),
                new Database(null, null, null),
                new Pbx(null, List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), Duration.ofSeconds(30), 60, 7200,
                        3600, 10),
                new Security(5, Duration.ofSeconds(60), Duration.ofMinutes(15), List.of()),
                new Shutdown(Duration.ofSeconds(30), Duration.ofSeconds(10)),
                Mail.defaults(), Accounts.defaults());
    }

    /** {@code web.bind-address}, or {@code sip.bind-address}. */
    public InetAddress webBindAddress() {
        return web.bindAddress() != null ? web.bindAddress() : sip.bindAddress();
    }

    /** {@code media.bind-address}, or {@code sip.bind-address}. */
    public InetAddress mediaBindAddress() {
        return media.bindAddress() != null ? media.bindAddress() : sip.bindAddress();
    }

    /**
     * The IP address written into the SDP Parley sends: {@code media.advertised-address} when set, else
     * {@code sip.advertised-host} when it is an IP address, else the media bind address when it is a specific one,
     * else the first non-loopback IPv4 address of this machine, else {@code 127.0.0.1}. An SDP {@code c=} line
     * could carry a DNS name, but phones rarely resolve it, so Parley always writes an address.
     */
    public InetAddress mediaAdvertisedAddress() {
        if (media.advertisedAddress() != null) {
            return media.advertisedAddress();
        }
        if (sip.advertisedHost() != null) {
            Optional<InetAddress> literal = Addresses.literal(sip.advertisedHost());
            if (literal.isPresent()) {
                return literal.get();
            }
        }
        InetAddress bind = mediaBindAddress();
        if (!bind.isAnyLocalAddress()) {
            return bind;
        }
        return Addresses.firstNonLoopbackIpv4().orElse(InetAddress.getLoopbackAddress());
    }

    /** The data directory, absolute. */
    public Path dataDirectory() {
        return data.directory().toAbsolutePath();
    }

    /** {@code tls.certificate}, or {@code <data>/tls/cert.pem}. */
    public Path certificatePath() {
        return tls.certificate() != null ? tls.certificate() : dataDirectory().resolve("tls").resolve("cert.pem");
    }

    /** {@code tls.key}, or {@code <data>/tls/key.pem}. */
    public Path keyPath() {
        return tls.key() != null ? tls.key() : dataDirectory().resolve("tls").resolve("key.pem");
    }

    /** True when neither TLS path was set, so a missing pair may be generated. */
    public boolean tlsPathsAreDefault() {
        return tls.certificate() == null && tls.key() == null;
    }

    /** {@code database.url}, or the SQLite file {@code <data>/parley.db}. */
    public String databaseUrl() {
        return database.url() != null ? database.url() : "jdbc:sqlite:" + dataDirectory().resolve("parley.db");
    }

    /** The AES key that encrypts device secrets in the database; kept beside it, never in it. */
    public Path secretKeyPath() {
        return dataDirectory().resolve("secret.key");
    }

    /**
     * The host Parley writes into Via, Contact and URLs: {@code sip.advertised-host} when set, else the bind
     * address when it is a specific one, else the first non-loopback IPv4 address of this machine, else
     * {@code 127.0.0.1}. Looks at the network interfaces each time it is called without a setting.
     */
    public String advertisedHost() {
        if (sip.advertisedHost() != null) {
            return sip.advertisedHost();
        }
        if (!sip.bindAddress().isAnyLocalAddress()) {
            return sip.bindAddress().getHostAddress();
        }
        return Addresses.firstNonLoopbackIpv4().map(InetAddress::getHostAddress).orElse("127.0.0.1");
    }

    /**
     * The Digest realm: {@code pbx.realm}, else {@code sip.advertised-host} when set, else {@value #DEFAULT_REALM}.
     * Never an auto-detected address: phones keep the realm in their configuration, and a realm that moved with the
     * DHCP lease would break them.
     */
    public String realm() {
        if (pbx.realm() != null) {
            return pbx.realm();
        }
        return sip.advertisedHost() != null ? sip.advertisedHost() : DEFAULT_REALM;
    }

    /** The registrar's limits from {@code pbx.*}; any domain accepted. */
    public RegistrarPolicy registrarPolicy() {
        return new RegistrarPolicy(pbx.minExpires(), pbx.maxExpires(), pbx.defaultExpires(), pbx.maxContacts(),
                Set.of());
    }

    /** Everything the PBX takes from {@code pbx.*}, {@code security.*} and {@code shutdown.retry-after}. */
    public PbxConfig pbxConfig() {
        return PbxConfig.defaults(realm())
                .withDigestPolicy(DigestPolicy.of(realm()).withAlgorithms(pbx.digestAlgorithms()))
                .withRegistrarPolicy(registrarPolicy())
                .withBanPolicy(banPolicy())
                .withNoAnswerTimeout(pbx.noAnswerTimeout())
                .withDndStatus(pbx.dndStatus())
                .withDrainRetryAfter(shutdown.retryAfter());
    }

    /** The ban policy from {@code security.*}. */
    public BanPolicy banPolicy() {
        return BanPolicy.defaults()
                .withMaxFailures(security.banThreshold())
                .withWindow(security.banWindow())
                .withBanDuration(security.banTime())
                .withExempt(security.trustedNetworks().toArray(AddressBlock[]::new));
    }
}
