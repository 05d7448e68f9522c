package dev.parley.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.parley.pbx.account.ClosedAccountCalls;
import dev.parley.pbx.security.AddressBlock;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sipstack.transport.TransportConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link ParleyConfig} from, in rising precedence: the defaults, {@code parley.yml}, {@code PARLEY_*}
 * environment variables, and command-line options. Every value is checked; the first bad one stops the load with a
 * {@link ConfigException} that names the setting, shows the value (never a password) and says what is allowed.
 *
 * <p>The file: {@code --config <path>} if given (it must exist), else {@code $PARLEY_CONFIG} (it must exist), else
 * {@code parley.yml} in the working directory if there is one. It is optional: Parley runs on defaults. Its shape is
 * one mapping per section, keys in kebab-case; an unknown section or key is an error that lists the valid ones, so
 * a typo never silently falls back to a default. A key with no value ({@code advertised-host:} or {@code ~}) means the
 * default.
 *
 * <pre>
 * sip:
 *   udp-port: 5070
 *   advertised-host: pbx.example.com
 * security:
 *   trusted-networks: [192.168.1.0/24, 10.0.0.0/8]
 * </pre>
 *
 * <p>Environment: {@code PARLEY_<SECTION>_<KEY>}, the key upper-cased with {@code _} for {@code -}
 * ({@link Settings#environmentVariable}); lists are comma-separated; an empty value means the default. A
 * {@code PARLEY_} variable that names no setting is an error, for the same reason as an unknown key.
 *
 * <p>Durations are whole seconds ({@code 30}) or a number with {@code ms}, {@code s}, {@code m}, {@code h} or
 * {@code d} ({@code 15m}). Relative paths are relative to the working directory.
 */
public final class ConfigLoader {

    /** A value given on the command line: {@code setting} is {@code section.key}, {@code option} its spelling. */
    public record Override(String setting, String value, String option) {
        public Override {
            Objects.requireNonNull(setting, "setting");
            Objects.requireNonNull(option, "option");
            if (!Settings.all().contains(setting)) {
                throw new IllegalArgumentException("no setting " + setting);
            }
        }
    }

    /** One raw value (a String or a List of String; null means "use the default") and where it came from. */
    private record Raw(Object value, String origin) {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");

    private final Map<String, String> environment;
    private final Path workingDirectory;

    public ConfigLoader(Map<String, String> environment, Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory.toAbsolutePath();
    }

    /** A loader over the real environment and working directory. */
    public static ConfigLoader fromSystem() {
        return new ConfigLoader(System.getenv(), Path.of("").toAbsolutePath());
    }

    /**
     * The configuration file to read: {@code explicit} (must exist), else {@code $PARLEY_CONFIG} (must exist), else
     * {@code ./parley.yml} if it exists, else {@code null}.
     */
    public Path configFile(Path explicit) {
        if (explicit != null) {
            Path p = workingDirectory.resolve(explicit);
            if (!Files.isRegularFile(p)) {
                throw new ConfigException("--config: " + p + " does not exist or is not a file; give the path of a"
                        + " parley.yml, or leave the option out to run on defaults");
            }
            return p;
        }
        String fromEnv = environment.get(Settings.CONFIG_FILE_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = workingDirectory.resolve(fromEnv);
            if (!Files.isRegularFile(p)) {
                throw new ConfigException(Settings.CONFIG_FILE_VARIABLE + ": " + p + " does not exist or is not a"
                        + " file; give the path of a parley.yml, or unset the variable to run on defaults");
            }
            return p;
        }
        Path p = workingDirectory.resolve("parley.yml");
        return Files.isRegularFile(p) ? p : null;
    }

    /** Loads with the file chosen by {@link #configFile(Path)} and the given command-line values. */
    public ParleyConfig load(Path explicitConfigFile, List<Override> overrides) {
        Map<String, Raw> values = new HashMap<>();
        Path file = configFile(explicitConfigFile);
        if (file != null) {
            readYaml(file, values);
        }
        readEnvironment(values);
        for (Override o : overrides) {
            if (o.value() != null) {
                values.put(o.setting(), new Raw(o.value(), "from option " + o.option()));
            }
        }
        return build(values);
    }

    // --- sources ----------------------------------------------------------------------------------

    private void readYaml(Path file, Map<String, Raw> values) {
        YAMLMapper mapper = YAMLMapper.builder(YAMLFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .build();
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr() + ":";
            throw new ConfigException(file + ":" + where + " not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file: defaults
        }
        String origin = "in " + file;
        if (!root.isObject()) {
            throw new ConfigException(file + ": expected sections (sip:, tls:, database:, ...) at the top level, not "
                    + describe(root));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            String name = section.getKey();
            if (!Settings.sections().contains(name)) {
                throw new ConfigException(name + ": unknown section (" + origin + "); the sections are "
                        + String.join(", ", Settings.sections()) + Settings.didYouMean(name, Settings.sections()));
            }
            JsonNode body = section.getValue();
            if (body.isNull() || (body.isTextual() && body.asText().isEmpty())) { // "tls:" with nothing under it
                continue;
            }
            if (!body.isObject()) {
                throw new ConfigException(name + ": expected settings under it (" + String.join(", ",
                        Settings.keys(name)) + "), not " + describe(body) + " (" + origin + ")");
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                String setting = name + "." + key;
                if (!Settings.keys(name).contains(key)) {
                    throw new ConfigException(setting + ": unknown setting (" + origin + "); the settings of " + name
                            + " are " + String.join(", ", Settings.keys(name))
                            + Settings.didYouMean(key, Settings.keys(name)));
                }
                values.put(setting, new Raw(yamlValue(setting, field.getValue(), origin), origin));
            }
        }
    }

    private static Object yamlValue(String setting, JsonNode node, String origin) {
        if (node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return null;
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isValueNode() || item.isNull()) {
                    throw new ConfigException(setting + ": list items must be single values, not " + describe(item)
                            + " (" + origin + ")");
                }
                items.add(item.asText());
            }
            return items;
        }
        throw new ConfigException(setting + ": expected a value, not " + describe(node) + " (" + origin + ")");
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "the value \"" + node.asText() + "\"";
    }

    private void readEnvironment(Map<String, Raw> values) {
        List<String> variables = Settings.all().stream().map(Settings::environmentVariable).toList();
        // sorted, so that with several bad variables the same one is reported every time
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(Settings.ENV_PREFIX) || name.equals(Settings.CONFIG_FILE_VARIABLE)) {
                continue;
            }
            String setting = Settings.settingOfVariable(name).orElseThrow(() -> new ConfigException(
                    "environment variable " + name + " is not a Parley setting" + Settings.didYouMean(name, variables)
                            + "; the variables are PARLEY_<SECTION>_<KEY> for the settings "
                            + String.join(", ", Settings.all()) + ", and " + Settings.CONFIG_FILE_VARIABLE));
            String v = e.getValue();
            values.put(setting, new Raw(v.isEmpty() ? null : v, "from environment variable " + name));
        }
    }

    // --- building ---------------------------------------------------------------------------------

    private ParleyConfig build(Map<String, Raw> values) {
        ParleyConfig d = ParleyConfig.defaults();
        Reader r = new Reader(values);

        InetAddress bind = r.ipAddress("sip.bind-address", d.sip().bindAddress());
        ParleyConfig.Sip sip = new ParleyConfig.Sip(bind, r.host("sip.advertised-host"),
                r.port("sip.udp-port", d.sip().udpPort()), r.port("sip.tcp-port", d.sip().tcpPort()),
                r.port("sip.tls-port", d.sip().tlsPort()),
                (int) r.integer("sip.udp-receive-buffer", d.sip().udpReceiveBuffer(),
                        TransportConfig.MIN_UDP_RECEIVE_BUFFER, TransportConfig.MAX_UDP_RECEIVE_BUFFER, "bytes"));

        Path dataDir = r.path("data.directory", Path.of("data"));
        ParleyConfig.Tls tls = new ParleyConfig.Tls(r.path("tls.certificate", null), r.path("tls.key", null));
        ParleyConfig.Web web = new ParleyConfig.Web(r.ipAddress("web.bind-address", null),
                r.port("web.https-port", d.web().httpsPort()),
                r.port("web.http-redirect-port", d.web().httpRedirectPort()),
                r.duration("web.session-idle-timeout", d.web().sessionIdleTimeout(), Duration.ofMinutes(1),
                        Duration.ofDays(1)),
                r.bool("web.require-totp-for-admins", d.web().requireTotpForAdmins()));
        ParleyConfig.Media media = new ParleyConfig.Media(
                r.ipAddress("media.bind-address", null),
                r.advertisedAddress("media.advertised-address"),
                (int) r.integer("media.port-min", d.media().portMin(), 1024, 65535, "a UDP port"),
                (int) r.integer("media.port-max", d.media().portMax(), 1024, 65535, "a UDP port"),
                r.duration("media.timeout", d.media().timeout(), Duration.ofSeconds(1), Duration.ofHours(1)),
                r.webRtcPort("media.webrtc-port"),
                // browsers check consent every 5 s ± 20 % (RFC 7675 §5.1): below 10 s one lost check would end a call
                r.duration("media.webrtc-consent-timeout", d.media().webRtcConsentTimeout(), Duration.ofSeconds(10),
                        Duration.ofMinutes(5)));
        ParleyConfig.Database database = new ParleyConfig.Database(r.jdbcUrl("database.url"),
                r.string("database.user"), r.secret("database.password"));

        ParleyConfig.Pbx pbx = new ParleyConfig.Pbx(r.realm("pbx.realm"),
                r.digestAlgorithms("pbx.digest-algorithms", d.pbx().digestAlgorithms()),
                r.duration("pbx.no-answer-timeout", d.pbx().noAnswerTimeout(), Duration.ofSeconds(1),
                        Duration.ofHours(1)),
                r.integer("pbx.min-expires", d.pbx().minExpires(), 1, 3600, "seconds"),
                r.integer("pbx.max-expires", d.pbx().maxExpires(), 1, 604_800, "seconds"),
                r.integer("pbx.default-expires", d.pbx().defaultExpires(), 1, 604_800, "seconds"),
                (int) r.integer("pbx.max-contacts", d.pbx().maxContacts(), 1, 1000, "contacts"),
                r.dndStatus("pbx.dnd-status", d.pbx().dndStatus()));

        ParleyConfig.Security security = new ParleyConfig.Security(
                (int) r.integer("security.ban-threshold", d.security().banThreshold(), 1, 1000, "failures"),
                r.duration("security.ban-window", d.security().banWindow(), Duration.ofSeconds(1),
                        Duration.ofDays(1)),
                r.duration("security.ban-time", d.security().banTime(), Duration.ofSeconds(1), Duration.ofDays(365)),
                r.networks("security.trusted-networks"));

        ParleyConfig.Shutdown shutdown = new ParleyConfig.Shutdown(
                r.duration("shutdown.drain-deadline", d.shutdown().drainDeadline(), Duration.ZERO,
                        Duration.ofHours(1)),
                r.duration("shutdown.retry-after", d.shutdown().retryAfter(), Duration.ofSeconds(1),
                        Duration.ofHours(1)));

        ParleyConfig.Mail mail = new ParleyConfig.Mail(r.mailHost("mail.smtp-host"),
                r.optionalPort("mail.smtp-port"), r.mailAddress("mail.from"), r.string("mail.smtp-username"),
                r.secret("mail.smtp-password"), r.mailSecurity("mail.security", d.mail().security()));

        ParleyConfig.Accounts accounts = new ParleyConfig.Accounts(
                r.closedAccountCalls("accounts.closed-account-calls", d.accounts().closedAccountCalls()));

        return new ParleyConfig(sip, tls, web, media, new ParleyConfig.Data(dataDir), database, pbx, security,
                shutdown, mail, accounts);
    }

    /** Reads and checks one setting at a time; every error names the setting and the value's origin. */
    private final class Reader {
        private final Map<String, Raw> values;

        Reader(Map<String, Raw> values) {
            this.values = values;
        }

        private String text(String setting) {
            Raw raw = values.get(setting);
            if (raw == null || raw.value() == null) {
                return null;
            }
            if (raw.value() instanceof List<?>) {
                throw new ConfigException(setting + ": expects one value, not a list (" + raw.origin() + ")");
            }
            return ((String) raw.value()).strip();
        }

        private ConfigException bad(String setting, String value, String problem) {
            Raw raw = values.get(setting);
            return new ConfigException(setting + ": \"" + value + "\" " + problem + " (" + raw.origin() + ")");
        }

        int port(String setting, int defaultPort) {
            String v = text(setting);
            if (v == null) {
                return defaultPort;
            }
            try {
                int p = Integer.parseInt(v);
                if (p >= -1 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
            throw bad(setting, v, "is not a port; use 1-65535, 0 for any free port, or -1 to disable");
        }

        /** {@code auto} or absent: {@code null}; -1: off; else a UDP port 1024-65535 (browsers are told it in SDP). */
        Integer webRtcPort(String setting) {
            String v = text(setting);
            if (v == null || v.strip().equalsIgnoreCase("auto")) {
                return null;
            }
            try {
                int p = Integer.parseInt(v.strip());
                if (p == ParleyConfig.DISABLED || p >= 1024 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
            throw bad(setting, v, "is not allowed; use a UDP port 1024-65535, auto (media.port-min) or -1 (each"
                    + " browser leg takes ports of the media range)");
        }

        long integer(String setting, long defaultValue, long min, long max, String unit) {
            String v = text(setting);
            if (v == null) {
                return defaultValue;
            }
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw bad(setting, v, "is not allowed; use a whole number from " + min + " to " + max + " (" + unit
                    + ")");
        }

        /** 486 or 480: the two answers that fit a user who does not want calls (RFC 3261 §21.4.18, §21.4.7). */
        int dndStatus(String setting, int defaultValue) {
            String v = text(setting);
            if (v == null) {
                return defaultValue;
            }
            if (v.equals("486") || v.equals("480")) {
                return Integer.parseInt(v);
            }
            throw bad(setting, v, "is not allowed; use 486 (Busy Here, the default) or 480 (Temporarily"
                    + " Unavailable)");
        }

        ClosedAccountCalls closedAccountCalls(String setting, ClosedAccountCalls defaultValue) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return defaultValue;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "anonymize" -> ClosedAccountCalls.ANONYMIZE;
                case "delete" -> ClosedAccountCalls.DELETE;
                default -> throw bad(setting, v, "is not allowed; use anonymize (the default: call records kept"
                        + " without the user's name, numbers and devices) or delete (the user's call records go,"
                        + " from the other parties' history too)");
            };
        }

        boolean bool(String setting, boolean defaultValue) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return defaultValue;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw bad(setting, v, "is not allowed; use true or false");
            };
        }

        /** 1-65535, or null for the default of the protocol. */
        Integer optionalPort(String setting) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return null;
            }
            try {
                int p = Integer.parseInt(v);
                if (p >= 1 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
            throw bad(setting, v, "is not a port; use 1-65535, or leave it out for the usual port of"
                    + " mail.security (587 starttls, 465 tls, 25 none)");
        }

        String mailHost(String setting) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return null;
            }
            if (!Addresses.isHost(v)) {
                throw bad(setting, v, "is not a host; use the SMTP server's DNS name or IP address without"
                        + " scheme or port (smtp.example.com; the port goes in mail.smtp-port), or leave it out to"
                        + " write mail to the log");
            }
            return v.startsWith("[") ? v.substring(1, v.length() - 1) : v;
        }

        String mailAddress(String setting) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return null;
            }
            int at = v.lastIndexOf('@');
            boolean ok = at > 0 && at < v.length() - 1 && v.length() <= 254
                    && v.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != ',');
            if (!ok) {
                throw bad(setting, v, "is not an email address; use a plain address such as parley@example.com");
            }
            return v;
        }

        ParleyConfig.Mail.Security mailSecurity(String setting, ParleyConfig.Mail.Security defaultValue) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return defaultValue;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "starttls" -> ParleyConfig.Mail.Security.STARTTLS;
                case "tls" -> ParleyConfig.Mail.Security.TLS;
                case "none" -> ParleyConfig.Mail.Security.NONE;
                default -> throw bad(setting, v, "is not allowed; use starttls (the default, port 587), tls"
                        + " (implicit TLS, port 465) or none (plain SMTP, port 25)");
            };
        }

        Duration duration(String setting, Duration defaultValue, Duration min, Duration max) {
            String v = text(setting);
            if (v == null) {
                return defaultValue;
            }
            Duration d = parseDuration(v);
            String allowed = "; use whole seconds (30) or a number with ms, s, m, h or d (500ms, 30s, 15m, 1h),"
                    + " from " + human(min) + " to " + human(max);
            if (d == null) {
                throw bad(setting, v, "is not a duration" + allowed);
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw bad(setting, v, "is out of range" + allowed);
            }
            return d;
        }

        InetAddress ipAddress(String setting, InetAddress defaultValue) {
            String v = text(setting);
            if (v == null) {
                return defaultValue;
            }
            return Addresses.literal(v).orElseThrow(() -> bad(setting, v, "is not an IP address; use 0.0.0.0 to"
                    + " listen on every IPv4 address, :: for every address, or one address of this machine"));
        }

        /** An address peers can send to: a specific IP address, not a wildcard; null when unset. */
        InetAddress advertisedAddress(String setting) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return null;
            }
            String problem = "is not an address phones can send media to; use one IP address of this machine or"
                    + " of the NAT in front of it (203.0.113.7), or leave it out for auto";
            InetAddress a = Addresses.literal(v).orElseThrow(() -> bad(setting, v, problem));
            if (a.isAnyLocalAddress()) {
                throw bad(setting, v, problem);
            }
            return a;
        }

        String host(String setting) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return null;
            }
            if (!Addresses.isHost(v)) {
                throw bad(setting, v, "is not a host; use a DNS name or an IP address that phones can reach,"
                        + " without scheme or port (pbx.example.com, 203.0.113.7), or leave it out for auto");
            }
            return v.startsWith("[") ? v.substring(1, v.length() - 1) : v;
        }

        String realm(String setting) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return null;
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                    throw bad(setting, v, "is not a realm; use printable ASCII without spaces, quotes or"
                            + " backslashes, e.g. pbx.example.com");
                }
            }
            return v;
        }

        String string(String setting) {
            String v = text(setting);
            return v == null || v.isEmpty() ? null : v;
        }

        /** Like {@link #string} but never strips or echoes the value. */
        String secret(String setting) {
            Raw raw = values.get(setting);
            if (raw == null || raw.value() == null) {
                return null;
            }
            if (raw.value() instanceof List<?>) {
                throw new ConfigException(setting + ": expects one value, not a list (" + raw.origin() + ")");
            }
            return (String) raw.value();
        }

        String jdbcUrl(String setting) {
            String v = string(setting);
            if (v == null) {
                return null;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("jdbc:sqlite:") && !lower.startsWith("jdbc:postgresql:")) {
                // the URL may carry a password (?password=...): show only its scheme
                String scheme = v.indexOf(':', 5) > 0 ? v.substring(0, v.indexOf(':', 5) + 1) : v;
                Raw raw = values.get(setting);
                throw new ConfigException(setting + ": a URL starting \"" + scheme + "\" is not supported; use"
                        + " jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>, or leave it out for the"
                        + " SQLite file in the data directory (" + raw.origin() + ")");
            }
            return v;
        }

        Path path(String setting, Path defaultValue) {
            String v = text(setting);
            if (v == null || v.isEmpty()) {
                return defaultValue == null ? null : workingDirectory.resolve(defaultValue).normalize();
            }
            try {
                return workingDirectory.resolve(v).normalize();
            } catch (InvalidPathException e) {
                throw bad(setting, v, "is not a path (" + e.getReason() + ")");
            }
        }

        /** A YAML list, or one comma-separated string (environment, options); null when unset. */
        private List<String> list(String setting) {
            Raw raw = values.get(setting);
            if (raw == null || raw.value() == null) {
                return null;
            }
            List<String> items = new ArrayList<>();
            if (raw.value() instanceof List<?> list) {
                list.forEach(o -> items.add(((String) o).strip()));
            } else {
                for (String s : ((String) raw.value()).split(",")) {
                    if (!s.isBlank()) {
                        items.add(s.strip());
                    }
                }
            }
            return items;
        }

        List<DigestAlgorithm> digestAlgorithms(String setting, List<DigestAlgorithm> defaultValue) {
            List<String> items = list(setting);
            if (items == null) {
                return defaultValue;
            }
            String allowed = "use one or more of SHA-256, MD5, SHA-512-256, without repeats, the preferred first"
                    + " (default [SHA-256, MD5])";
            if (items.isEmpty()) {
                throw bad(setting, "", "leaves no algorithm to offer; " + allowed);
            }
            List<DigestAlgorithm> out = new ArrayList<>();
            for (String item : items) {
                DigestAlgorithm a = DigestAlgorithm.fromToken(item).filter(x -> !x.isSession())
                        .orElseThrow(() -> bad(setting, item, "is not a Digest algorithm Parley offers; " + allowed));
                if (out.contains(a)) {
                    throw bad(setting, item, "is listed twice; " + allowed);
                }
                out.add(a);
            }
            return out;
        }

        List<AddressBlock> networks(String setting) {
            List<String> items = list(setting);
            if (items == null) {
                return List.of();
            }
            List<AddressBlock> out = new ArrayList<>();
            for (String item : items) {
                out.add(network(setting, item));
            }
            return out;
        }

        private AddressBlock network(String setting, String item) {
            int slash = item.indexOf('/');
            String address = slash < 0 ? item : item.substring(0, slash);
            ConfigException problem = bad(setting, item, "is not a network; use an address or a CIDR block such as"
                    + " 192.168.1.0/24 or 2001:db8::/32");
            InetAddress a = Addresses.literal(address).orElseThrow(() -> problem);
            int bits = a.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(item.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw problem;
                }
                if (prefix < 0 || prefix > bits) {
                    throw problem;
                }
            }
            return new AddressBlock(a, prefix);
        }
    }

    /** Whole seconds, a number with a unit, or ISO-8601 ({@code PT30S}); null if none of these. */
    static Duration parseDuration(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (v.startsWith("pt") || v.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.strip());
                return d.isNegative() ? null : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String human(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.toMillis() % 86_400_000 == 0) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
