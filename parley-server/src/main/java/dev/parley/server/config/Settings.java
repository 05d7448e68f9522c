package dev.parley.server.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The names of every setting, section by section, in the order the documentation lists them, and the environment
 * variable of each: {@code PARLEY_<SECTION>_<KEY>} with the key upper-cased and {@code -} written {@code _}
 * ({@code sip.udp-port} is {@code PARLEY_SIP_UDP_PORT}, {@code database.url} is {@code PARLEY_DATABASE_URL}).
 */
public final class Settings {
    /** Environment variable naming the configuration file (like {@code --config}). */
    public static final String CONFIG_FILE_VARIABLE = "PARLEY_CONFIG";
    static final String ENV_PREFIX = "PARLEY_";

    private static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("sip", List.of("bind-address", "advertised-host", "udp-port", "tcp-port", "tls-port",
                "udp-receive-buffer"));
        SECTIONS.put("tls", List.of("certificate", "key"));
        SECTIONS.put("web", List.of("bind-address", "https-port", "http-redirect-port", "session-idle-timeout",
                "require-totp-for-admins"));
        SECTIONS.put("media", List.of("bind-address", "advertised-address", "port-min", "port-max", "timeout",
                "webrtc-port", "webrtc-consent-timeout"));
        SECTIONS.put("data", List.of("directory"));
        SECTIONS.put("database", List.of("url", "user", "password"));
        SECTIONS.put("pbx", List.of("realm", "digest-algorithms", "no-answer-timeout", "min-expires", "max-expires",
                "default-expires", "max-contacts", "dnd-status"));
        SECTIONS.put("security", List.of("ban-threshold", "ban-window", "ban-time", "trusted-networks"));
        SECTIONS.put("shutdown", List.of("drain-deadline", "retry-after"));
        SECTIONS.put("mail", List.of("smtp-host", "smtp-port", "security", "from", "smtp-username",
                "smtp-password"));
        SECTIONS.put("accounts", List.of("closed-account-calls"));
    }

    private Settings() {
    }

    public static Collection<String> sections() {
        return SECTIONS.keySet();
    }

    /** The keys of {@code section}, or an empty list for an unknown section. */
    public static List<String> keys(String section) {
        return SECTIONS.getOrDefault(section, List.of());
    }

    /** Every setting as {@code section.key}. */
    public static List<String> all() {
        List<String> out = new ArrayList<>();
        SECTIONS.forEach((section, keys) -> keys.forEach(k -> out.add(section + "." + k)));
        return out;
    }

    /** {@code sip.udp-port} → {@code PARLEY_SIP_UDP_PORT}. */
    public static String environmentVariable(String setting) {
        return ENV_PREFIX + setting.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The setting an environment variable names, if any. */
    static Optional<String> settingOfVariable(String variable) {
        for (String s : all()) {
            if (environmentVariable(s).equals(variable)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code " (did you mean \"x\"?)"} when one candidate is close to {@code wrong} (same letters ignoring case and
     * {@code - _}, or at most two edits apart), else the empty string.
     */
    static String didYouMean(String wrong, Collection<String> candidates) {
        String w = normalize(wrong);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = normalize(c).equals(w) ? 0 : distance(w, normalize(c));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(2, w.length() / 4);
        return best != null && bestDistance <= allowed ? " (did you mean \"" + best + "\"?)" : "";
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
