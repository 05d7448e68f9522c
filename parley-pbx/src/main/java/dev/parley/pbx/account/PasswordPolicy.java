package dev.parley.pbx.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new web password must be (NIST SP 800-63B §3.1.1.2: a length floor and a blocklist, no composition rules):
 *
 * <table>
 *   <caption>Rules, checked in this order</caption>
 *   <tr><th>rule</th><th>why</th></tr>
 *   <tr><td>{@value #MIN_LENGTH} to {@value #MAX_LENGTH} characters (code points)</td><td>length is what makes
 *       guessing slow; the ceiling bounds the work one login asks of Argon2id's input hashing</td></tr>
 *   <tr><td>not the user's name or email address, in any case</td><td>the first thing a guesser tries</td></tr>
 *   <tr><td>not a common password</td><td>the list guessers start with</td></tr>
 * </table>
 *
 * <p>The common passwords are the top 1000 of the "10 million password list" (Mark Burnett, xato.net, 2015) as
 * published in SecLists ({@code Passwords/Common-Credentials/10-million-password-list-top-1000.txt},
 * github.com/danielmiessler/SecLists, MIT licence), shipped as {@code common-passwords.txt} beside this class. None
 * of those is 12 characters long, so a password is compared in three forms, all lower-cased: as typed; without
 * what follows its last letter when it ends in digits or symbols ({@code Password2024!} → {@code password}); and
 * as its repeated unit when it is one string typed several times ({@code qwertyqwerty} → {@code qwerty},
 * {@code aaaaaaaaaaaa} → {@code aaaaaa}). Any form on the list refuses it.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 256;
    private static final String LIST = "common-passwords.txt";

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = Set.copyOf(common);
    }

    /** The policy with the shipped list. */
    public static PasswordPolicy standard() {
        return Holder.STANDARD;
    }

    private static final class Holder {
        static final PasswordPolicy STANDARD = new PasswordPolicy(load());
    }

    private static Set<String> load() {
        Set<String> out = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the classpath beside "
                        + PasswordPolicy.class.getName() + ": the build did not package parley-pbx's resources");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String p = line.strip();
                if (!p.isEmpty()) {
                    out.add(p.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST, e);
        }
        return out;
    }

    /** How many distinct (lower-cased) common passwords the policy knows. */
    public int commonCount() {
        return common.size();
    }

    /**
     * Why {@code password} may not be a web password for the user {@code username} (email {@code email}, may be
     * null), or empty if it may. The reason is meant for the person choosing the password and never contains it.
     */
    public Optional<String> problem(char[] password, String username, String email) {
        String pw = new String(password);
        int length = pw.codePointCount(0, pw.length());
        if (length < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        String lower = pw.toLowerCase(Locale.ROOT);
        if ((username != null && lower.equals(username.toLowerCase(Locale.ROOT)))
                || (email != null && lower.equals(email.toLowerCase(Locale.ROOT)))) {
            return Optional.of("must not be the user name or email address");
        }
        if (isCommon(lower)) {
            return Optional.of("is too common: it is on the list of passwords guessers try first");
        }
        return Optional.empty();
    }

    private boolean isCommon(String lower) {
        if (common.contains(lower) || common.contains(withoutTrailingNonLetters(lower))) {
            return true;
        }
        String unit = repeatedUnit(lower);
        if (unit.length() < lower.length()) {
            for (String s = unit; s.length() <= lower.length(); s = s + unit) {
                if (common.contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String withoutTrailingNonLetters(String s) {
        int end = s.length();
        while (end > 0 && !Character.isLetter(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The shortest string that {@code s} is a whole number of copies of ({@code s} itself when none). */
    static String repeatedUnit(String s) {
        int n = s.length();
        for (int len = 1; len <= n / 2; len++) {
            if (n % len == 0 && s.substring(0, len).repeat(n / len).equals(s)) {
                return s.substring(0, len);
            }
        }
        return s;
    }
}
