package dev.parley.pbx.call;

import dev.parley.pbx.media.MediaLeg;
import dev.parley.pbx.media.PeerMedia;
import dev.parley.sdp.SdpParseResult;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SdpRedaction;
import dev.parley.sdp.SessionDescription;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.SipMessage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries an offer or an answer from one leg of a call to the other through Parley's media endpoints: the SDP a
 * peer sent is read under its leg's policy, and the SDP the other peer gets is Parley's own (Parley's address and
 * ports, the codecs the first peer offered, keys of the second leg). Both directions of RFC 3264 fit two calls:
 * {@link #offer} when a peer offers, {@link #answer} when the other peer answers.
 *
 * <p>The bodies are logged only at TRACE on {@code parley.sdp}, redacted ({@link SdpRedaction}): an SRTP key in a
 * log is as good as no encryption.
 */
final class Anchor {
    private static final Logger TRACE = LoggerFactory.getLogger("parley.sdp");

    private Anchor() {
    }

    /** What became of an SDP body on its way across. */
    sealed interface Result permits Result.Rewritten, Result.Refused {
        /** The SDP for the other peer. */
        record Rewritten(SessionDescription sdp) implements Result {
            Body body() {
                return Body.of(sdp.toBytes());
            }
        }

        /** Not usable: answer the sender with {@code status} (488 for media it may not or cannot use). */
        record Refused(int status, String reason) implements Result {
        }
    }

    /** The SDP of a message, or the reason it has none Parley can read. */
    static SdpParseResult parse(SipMessage message) {
        if (message.body().isEmpty()) {
            return new SdpParseResult.Malformed(0, "no body");
        }
        if (message.contentType().filter(MediaType::isSdp).isEmpty()) {
            return new SdpParseResult.Malformed(0, "the body is not application/sdp");
        }
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("SDP in ({}):\n{}", message, SdpRedaction.redact(message.body().toUtf8String()));
        }
        return SdpParser.parse(message.body().toByteArray());
    }

    /** A peer's offer on {@code from}: read it, and make Parley's offer for {@code to}'s peer. */
    static Result offer(MediaLeg from, MediaLeg to, SipMessage carrying) {
        SdpParseResult parsed = parse(carrying);
        if (!(parsed instanceof SdpParseResult.Parsed p)) {
            return new Result.Refused(488, parsed.toString());
        }
        Optional<MediaLeg.Refusal> refused = from.takeOffer(p.description());
        if (refused.isPresent()) {
            return refused(refused.get());
        }
        return rewritten(offerFor(to, from.pendingPeerOffer()));
    }

    /** Parley's offer on {@code to} for a peer offer already read ({@link MediaLeg#pendingPeerOffer()}). */
    static SessionDescription offerFor(MediaLeg to, PeerMedia peer) {
        return to.offerFor(peer);
    }

    /**
     * The answer of {@code answerer}'s peer to Parley's offer: configure that leg, and make Parley's answer to the
     * offer pending on {@code offerer}. Both endpoints are configured when this returns {@link Result.Rewritten}.
     */
    static Result answer(MediaLeg answerer, MediaLeg offerer, SipMessage carrying) {
        Result taken = takeAnswer(answerer, carrying);
        if (taken != null) {
            return taken;
        }
        SessionDescription sdp = offerer.answer(answerer.peerMedia());
        if (sdp == null) {
            return new Result.Refused(488, "the two legs share no codec and the media plane converts none of them");
        }
        return rewritten(sdp);
    }

    /** The answer of {@code answerer}'s peer to Parley's offer, taken on that leg alone: null when usable. */
    static Result.Refused takeAnswer(MediaLeg answerer, SipMessage carrying) {
        SdpParseResult parsed = parse(carrying);
        if (!(parsed instanceof SdpParseResult.Parsed p)) {
            return new Result.Refused(488, parsed.toString());
        }
        return answerer.takeAnswer(p.description()).map(Anchor::refused).orElse(null);
    }

    private static Result.Refused refused(MediaLeg.Refusal r) {
        return new Result.Refused(r.status(), r.reason());
    }

    private static Result rewritten(SessionDescription sdp) {
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("SDP out:\n{}", SdpRedaction.redact(sdp.toSdp()));
        }
        return new Result.Rewritten(sdp);
    }

    /** Puts {@code sdp} into a message being built. */
    static void body(SipMessage.Builder<?> b, SessionDescription sdp) {
        b.body(MediaType.APPLICATION_SDP, Body.of(sdp.toBytes()));
    }
}
