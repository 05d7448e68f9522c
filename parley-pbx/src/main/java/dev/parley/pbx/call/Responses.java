package dev.parley.pbx.call;

import dev.parley.sip.header.Address;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.dialog.Tags;

/** Responses a UAS builds (RFC 3261 §8.2.6). */
public final class Responses {
    private Responses() {
    }

    /**
     * A response to {@code request} whose To carries a tag: the request's own when it has one (inside a dialog),
     * else {@code toTag}, else a fresh one (RFC 3261 §8.2.6.2: "the UAS MUST add a tag to the To header field").
     */
    public static SipResponse.Builder to(SipRequest request, int status, String toTag) {
        SipResponse.Builder b = SipResponse.to(request, status);
        Address to = request.to();
        if (to.tag() == null && status > 100) {
            b.to(to.withTag(toTag != null ? toTag : Tags.newTag()));
        }
        return b;
    }

    /** {@link #to(SipRequest, int, String)} with a fresh tag when one is needed. */
    public static SipResponse.Builder to(SipRequest request, int status) {
        return to(request, status, null);
    }
}
