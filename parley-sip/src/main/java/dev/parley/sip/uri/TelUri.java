package dev.parley.sip.uri;

import dev.parley.common.Ascii;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Parameters.Parameter;

/**
 * A tel URI (RFC 3966): a global number ({@code tel:+1-201-555-0123}) or a local number with its phone-context
 * ({@code tel:7042;phone-context=example.com}), with parameters. Parsed by {@link UriParser}; the grammar is in
 * {@code TelUriParser}.
 *
 * <p>The number keeps its visual separators as written; {@link #normalizedNumber()} drops them for comparison.
 * {@link #parameters()} holds every parameter in the order written, {@code ext}, {@code isub} and
 * {@code phone-context} included, with values as written.
 */
public final class TelUri implements Uri {
    static final String PHONE_CONTEXT = "phone-context";
    static final String EXTENSION = "ext";
    static final String ISDN_SUBADDRESS = "isub";

    private final String number;
    private final boolean global;
    private final Parameters parameters;
    private String normalized;

    TelUri(String number, boolean global, Parameters parameters) {
        this.number = number;
        this.global = global;
        this.parameters = parameters;
    }

    @Override
    public String scheme() {
        return "tel";
    }

    /** The number as written, visual separators included ({@code +1-201-555-0123}). */
    public String number() {
        return number;
    }

    /** True for a global number, one that starts with {@code +}. */
    public boolean isGlobal() {
        return global;
    }

    /** The phone-context value as written, or {@code null}; always present for a local number. */
    public String phoneContext() {
        return parameters.value(PHONE_CONTEXT);
    }

    /** The {@code ext} value as written, or {@code null}. */
    public String extension() {
        return parameters.value(EXTENSION);
    }

    /** The {@code isub} value as written, or {@code null}. */
    public String isdnSubaddress() {
        return parameters.value(ISDN_SUBADDRESS);
    }

    /** All parameters in the order written, values as written. */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * The number without visual separators ({@code - . ( )}) and with hex digits in upper case, the leading
     * {@code +} kept: {@code +12015550123}. Equal for numbers RFC 3966 §4 compares equal.
     */
    public String normalizedNumber() {
        String n = normalized;
        if (n == null) {
            n = normalize(number);
            normalized = n;
        }
        return n;
    }

    private static String normalize(String digits) {
        StringBuilder out = new StringBuilder(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!TelUriParser.isVisualSeparator(c)) {
                out.append(c >= 'a' && c <= 'f' ? (char) (c - ('a' - 'A')) : c);
            }
        }
        return out.toString();
    }

    /**
     * RFC 3966 §4: both global or both local; numbers equal once visual separators are removed; the same set of
     * parameter names, in any order, with equal values; everything ignoring case. {@code phone-context} compares
     * as a domain name or, when it is a global number, digit by digit; {@code ext} digit by digit; other values
     * with escapes resolved.
     */
    @Override
    public boolean equivalentTo(Uri other) {
        if (!(other instanceof TelUri that) || global != that.global || !digitsEqual(number, that.number)) {
            return false;
        }
        // names compare as sets and values by name, so the order of parameters does not matter
        return sameNames(this, that) && sameNames(that, this) && valuesEqual(that) && that.valuesEqual(this);
    }

    private static boolean sameNames(TelUri a, TelUri b) {
        for (Parameter p : a.parameters) {
            if (!b.parameters.has(p.name())) {
                return false;
            }
        }
        return true;
    }

    private boolean valuesEqual(TelUri that) {
        for (Parameter p : parameters) {
            // with a repeated name, the first of that name counts, on both sides
            String mine = parameters.value(p.name());
            String theirs = that.parameters.value(p.name());
            if (mine == null || theirs == null) {
                if (mine != theirs) {
                    return false;
                }
            } else if (Ascii.equalsIgnoreCase(p.name(), PHONE_CONTEXT)) {
                boolean digits = mine.charAt(0) == '+';
                if (digits != (theirs.charAt(0) == '+')
                        || (digits ? !digitsEqual(mine, theirs) : !Ascii.equalsIgnoreCase(mine, theirs))) {
                    return false;
                }
            } else if (Ascii.equalsIgnoreCase(p.name(), EXTENSION)) {
                if (!digitsEqual(mine, theirs)) {
                    return false;
                }
            } else if (!Escapes.equalsDecoded(mine, theirs, true)) {
                return false;
            }
        }
        return true;
    }

    /** Compares two digit strings ignoring visual separators and the case of hex digits; allocates nothing. */
    static boolean digitsEqual(String a, String b) {
        int i = 0;
        int j = 0;
        int na = a.length();
        int nb = b.length();
        while (true) {
            while (i < na && TelUriParser.isVisualSeparator(a.charAt(i))) {
                i++;
            }
            while (j < nb && TelUriParser.isVisualSeparator(b.charAt(j))) {
                j++;
            }
            if (i == na || j == nb) {
                return i == na && j == nb;
            }
            if (Ascii.toLowerCase(a.charAt(i++)) != Ascii.toLowerCase(b.charAt(j++))) {
                return false;
            }
        }
    }

    @Override
    public void appendTo(StringBuilder out) {
        out.append("tel:").append(number);
        parameters.appendTo(out, ';');
    }

    /** Structural: the number as written and the parameters in order. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof TelUri that && number.equals(that.number)
                && parameters.equals(that.parameters);
    }

    @Override
    public int hashCode() {
        return number.hashCode() * 31 + parameters.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(number.length() + 16);
        appendTo(sb);
        return sb.toString();
    }
}
