package dev.parley.sipstack.dialog;

/** The verdict of {@link Dialog#onRequest} on a request received inside the dialog. */
public enum RequestCheck {
    ACCEPTED(0),
    /** RFC 3261 §12.2.2: a CSeq lower than the remote sequence number: "MUST be rejected with a 500". */
    OUT_OF_ORDER(500);

    private final int status;

    RequestCheck(int status) {
        this.status = status;
    }

    /** The status to answer with, or 0 when the request is accepted. */
    public int status() {
        return status;
    }

    public boolean isAccepted() {
        return this == ACCEPTED;
    }
}
