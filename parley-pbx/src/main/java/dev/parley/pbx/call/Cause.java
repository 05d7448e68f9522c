package dev.parley.pbx.call;

/** Why a call ended, as written in its {@link dev.parley.pbx.cdr.CallRecord#cause()}. */
public enum Cause {
    ANSWERED_CALLER_HANGUP("answered-caller-hangup"),
    ANSWERED_CALLEE_HANGUP("answered-callee-hangup"),
    CANCELLED("cancelled"),
    BUSY("busy"),
    NO_ANSWER("no-answer"),
    UNAVAILABLE("unavailable"),
    NOT_FOUND("not-found"),
    REJECTED("rejected"),
    /** The callee is in do-not-disturb: refused before ringing, a missed call for them. */
    DO_NOT_DISTURB("do-not-disturb"),
    FAILED("failed"),
    MEDIA_TIMEOUT("media-timeout"),
    /**
     * A browser leg's WebSocket closed (a page reload or closed tab, a network drop): Parley cannot reach that
     * browser again on that call, since it cannot open a WebSocket to a client (RFC 7118 §5).
     */
    CONNECTION_LOST("connection-lost"),
    /** The callee handed the caller on to someone else (blind transfer); the new call has a record of its own. */
    TRANSFERRED("transferred"),
    SHUTDOWN("shutdown");

    private final String text;

    Cause(String text) {
        this.text = text;
    }

    /** The word stored in the CDR. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
