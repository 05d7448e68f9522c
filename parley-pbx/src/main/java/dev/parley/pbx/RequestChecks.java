package dev.parley.pbx;

import dev.parley.common.Ascii;
import dev.parley.pbx.call.Capabilities;
import dev.parley.pbx.call.Responses;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.AbsoluteUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks RFC 3261 §8.2 has a UAS make before it looks at what a request asks, in the RFC's order; each returns
 * the refusal to send, or empty when the request passes. Pure.
 *
 * <ol>
 *   <li>§8.2.1 method: unknown → {@code 501}, known but not handled → {@code 405}, both with {@code Allow}.</li>
 *   <li>§8.2.2.1 Request-URI scheme: not {@code sip}, {@code sips} or {@code tel} → {@code 416}.</li>
 *   <li>§8.2.2.3 {@code Require}: an option tag Parley does not support → {@code 420} with {@code Unsupported}
 *       (REGISTER is left to the registrar, which supports {@code path}).</li>
 *   <li>§8.2.3 content: a body in an INVITE or UPDATE that is not {@code application/sdp}, or that is encoded →
 *       {@code 415} with {@code Accept}.</li>
 * </ol>
 * ACK and CANCEL are never refused here (§8.2.2.3: they carry no Require the UAS may reject).
 */
final class RequestChecks {
    private RequestChecks() {
    }

    static Optional<SipResponse> screen(SipRequest request) {
        String method = request.method();
        if (SipMethod.ACK.equals(method) || SipMethod.CANCEL.equals(method)) {
            return Optional.empty();
        }
        if (!Capabilities.isAllowed(method)) {
            int status = SipMethod.isKnown(method) ? 405 : 501;
            return Optional.of(Capabilities.allow(Responses.to(request, status)).build());
        }
        if (request.requestUri() instanceof AbsoluteUri) {
            return Optional.of(Responses.to(request, 416).build());
        }
        if (!SipMethod.REGISTER.equals(method)) {
            // no extension is supported outside REGISTER (path means nothing to a call)
            List<String> unsupported = new ArrayList<>(request.require());
            if (!unsupported.isEmpty()) {
                SipResponse.Builder b = Responses.to(request, 420);
                unsupported.forEach(t -> b.add(HeaderType.UNSUPPORTED, t));
                return Optional.of(b.build());
            }
        }
        if ((SipMethod.INVITE.equals(method) || SipMethod.UPDATE.equals(method)) && !request.body().isEmpty()) {
            Optional<MediaType> type = request.contentType();
            String encoding = request.headers().value(HeaderName.CONTENT_ENCODING);
            boolean identity = encoding == null || Ascii.equalsIgnoreCase(encoding.strip(), "identity");
            if (type.isEmpty() || !type.get().isSdp() || !identity) {
                SipResponse.Builder b = Responses.to(request, 415).set(HeaderName.ACCEPT, Capabilities.ACCEPT);
                if (!identity) {
                    b.set(HeaderName.ACCEPT_ENCODING, "identity");
                }
                return Optional.of(b.build());
            }
        }
        return Optional.empty();
    }
}
