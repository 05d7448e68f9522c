package dev.parley.sip.uri;

import static dev.parley.sip.uri.UriParser.fail;

import dev.parley.common.Ascii;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Parameters.Parameter;
import dev.parley.sip.text.SipChars;
import java.util.ArrayList;
import java.util.List;

/**
 * The tel URI grammar of RFC 3966 §3.
 *
 * <pre>
 * telephone-subscriber = global-number / local-number
 * global-number        = global-number-digits *par
 * local-number         = local-number-digits *par context *par
 * par                  = parameter / extension / isdn-subaddress
 * isdn-subaddress      = ";isub=" 1*uric
 * extension            = ";ext=" 1*phonedigit
 * context              = ";phone-context=" descriptor
 * descriptor           = domainname / global-number-digits
 * global-number-digits = "+" *phonedigit DIGIT *phonedigit
 * local-number-digits  = *phonedigit-hex (HEXDIG / "*" / "#")*phonedigit-hex
 * parameter            = ";" pname ["=" pvalue ]
 * pname                = 1*( alphanum / "-" )
 * pvalue               = 1*paramchar
 * phonedigit           = DIGIT / [ visual-separator ]
 * phonedigit-hex       = HEXDIG / "*" / "#" / [ visual-separator ]
 * visual-separator     = "-" / "." / "(" / ")"
 * </pre>
 *
 * <p>An isdn-subaddress is read up to the next {@code ;}: uric would allow one, which makes the grammar
 * ambiguous, and a subaddress holding a raw {@code ;} is not seen in practice.
 */
final class TelUriParser {
    private TelUriParser() {
    }

    static TelUri parse(String s, int uriStart, int end, int p) {
        int numberStart = p;
        boolean global = p < end && s.charAt(p) == '+';
        if (global) {
            p++;
        }
        boolean digit = false;
        while (p < end) {
            char c = s.charAt(p);
            if (isVisualSeparator(c)) {
                p++;
            } else if (global ? Ascii.isDigit(c) : Ascii.hexValue(c) >= 0 || c == '*' || c == '#') {
                digit = true;
                p++;
            } else {
                break;
            }
        }
        if (!digit) {
            throw fail(s, uriStart, end, p, "a telephone number needs at least one digit");
        }
        String number = s.substring(numberStart, p);

        Parameters parameters = Parameters.EMPTY;
        boolean context = false;
        if (p < end && s.charAt(p) == ';') {
            List<Parameter> list = new ArrayList<>(2);
            while (p < end && s.charAt(p) == ';') {
                if (list.size() == UriParser.MAX_PARAMETERS) {
                    throw fail(s, uriStart, end, p, "more than " + UriParser.MAX_PARAMETERS + " parameters");
                }
                int nameStart = ++p;
                while (p < end && (Ascii.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '-')) {
                    p++;
                }
                if (p == nameStart) {
                    throw fail(s, uriStart, end, p, "expected a parameter name");
                }
                String name = s.substring(nameStart, p);
                String value = null;
                if (p < end && s.charAt(p) == '=') {
                    int valueStart = ++p;
                    p = value(s, uriStart, end, p, name);
                    if (p == valueStart) {
                        throw fail(s, uriStart, end, p, "expected a parameter value");
                    }
                    value = s.substring(valueStart, p);
                    if (Ascii.equalsIgnoreCase(name, TelUri.PHONE_CONTEXT) && !isDescriptor(value)) {
                        throw fail(s, uriStart, end, valueStart, "phone-context is neither a domain nor a number");
                    }
                    if (Ascii.equalsIgnoreCase(name, TelUri.EXTENSION) && !hasDigit(value)) {
                        throw fail(s, uriStart, end, valueStart, "an extension needs at least one digit");
                    }
                } else if (isSpecial(name)) {
                    throw fail(s, uriStart, end, p, "expected '=' after " + name);
                }
                context |= Ascii.equalsIgnoreCase(name, TelUri.PHONE_CONTEXT);
                list.add(new Parameter(name, value));
            }
            parameters = Parameters.of(list);
        }
        if (p < end) {
            throw fail(s, uriStart, end, p, "unexpected character");
        }
        // RFC 3966 §5.1.5: a local number is only meaningful within its phone-context
        if (!global && !context) {
            throw fail(s, uriStart, end, numberStart, "a local number needs a phone-context");
        }
        return new TelUri(number, global, parameters);
    }

    /** Scans a parameter value by the rule its name selects; returns where it ends. */
    private static int value(String s, int uriStart, int end, int p, String name) {
        if (Ascii.equalsIgnoreCase(name, TelUri.EXTENSION)) {
            while (p < end && (Ascii.isDigit(s.charAt(p)) || isVisualSeparator(s.charAt(p)))) {
                p++;
            }
            return p;
        }
        boolean subaddress = Ascii.equalsIgnoreCase(name, TelUri.ISDN_SUBADDRESS);
        while (p < end) {
            char c = s.charAt(p);
            if (c == '%') {
                if (!Escapes.isEscape(s, p, end)) {
                    throw fail(s, uriStart, end, p, "invalid %-escape");
                }
                p += 3;
            } else if (SipChars.isUnreserved(c) || (subaddress ? c != ';' && SipChars.isReserved(c)
                    : c == '[' || c == ']' || c == '/' || c == ':' || c == '&' || c == '+' || c == '$')) {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    private static boolean isSpecial(String name) {
        return Ascii.equalsIgnoreCase(name, TelUri.PHONE_CONTEXT) || Ascii.equalsIgnoreCase(name, TelUri.EXTENSION)
                || Ascii.equalsIgnoreCase(name, TelUri.ISDN_SUBADDRESS);
    }

    /** descriptor = domainname / global-number-digits */
    private static boolean isDescriptor(String value) {
        if (value.charAt(0) != '+') {
            return Host.isHostname(value, 0, value.length());
        }
        boolean digit = false;
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Ascii.isDigit(c)) {
                digit = true;
            } else if (!isVisualSeparator(c)) {
                return false;
            }
        }
        return digit;
    }

    private static boolean hasDigit(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Ascii.isDigit(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean isVisualSeparator(char c) {
        return c == '-' || c == '.' || c == '(' || c == ')';
    }
}
