package dev.parley.sip.message;

/**
 * Method names. SIP methods are case-sensitive tokens (RFC 3261 §7.1): {@code invite} is an unknown extension
 * method, not INVITE.
 */
public final class SipMethod {
    public static final String INVITE = "INVITE";
    public static final String ACK = "ACK";
    public static final String BYE = "BYE";
    public static final String CANCEL = "CANCEL";
    public static final String REGISTER = "REGISTER";
    public static final String OPTIONS = "OPTIONS";
    public static final String PRACK = "PRACK";
    public static final String SUBSCRIBE = "SUBSCRIBE";
    public static final String NOTIFY = "NOTIFY";
    public static final String PUBLISH = "PUBLISH";
    public static final String INFO = "INFO";
    public static final String REFER = "REFER";
    public static final String MESSAGE = "MESSAGE";
    public static final String UPDATE = "UPDATE";

    private static final String[] KNOWN = {INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS, PRACK, SUBSCRIBE, NOTIFY,
        PUBLISH, INFO, REFER, MESSAGE, UPDATE};

    private SipMethod() {
    }

    /** The shared constant for a known method name, so hot paths hold no copies; unknown names are returned as is. */
    public static String intern(String method) {
        for (String m : KNOWN) {
            if (m.equals(method)) {
                return m;
            }
        }
        return method;
    }

    /** True for the methods of RFC 3261 and its common extensions that Parley knows. */
    public static boolean isKnown(String method) {
        for (String m : KNOWN) {
            if (m.equals(method)) {
                return true;
            }
        }
        return false;
    }
}
