package dev.parley.sipstack.dialog;

import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.util.Objects;

/**
 * A dialog identifier (RFC 3261 §12): Call-ID, local tag and remote tag, seen from this side. Compared exactly:
 * Call-IDs and tags are case-sensitive. The remote tag may be {@code null} for an RFC 2543 peer that sent no From tag
 * (RFC 3261 §12.2.2: "considered to have a value of null").
 */
public record DialogId(String callId, String localTag, String remoteTag) {

    public DialogId {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(localTag, "localTag");
    }

    /**
     * The dialog a request received by this side belongs to (UAS view, RFC 3261 §12.2.2): local tag from To, remote
     * tag from From; {@code null} when the request has no To tag and so is outside any dialog.
     */
    public static DialogId ofIncomingRequest(SipRequest request) {
        String toTag = request.to().tag();
        return toTag == null ? null : new DialogId(request.callId(), toTag, request.from().tag());
    }

    /**
     * The dialog a response received by this side belongs to (UAC view, RFC 3261 §12.1.2): local tag from From,
     * remote tag from To; {@code null} when either tag is missing.
     */
    public static DialogId ofIncomingResponse(SipResponse response) {
        String fromTag = response.from().tag();
        String toTag = response.to().tag();
        return fromTag == null || toTag == null ? null : new DialogId(response.callId(), fromTag, toTag);
    }
}
