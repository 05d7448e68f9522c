package dev.parley.sipstack.transaction;

import dev.parley.common.Ascii;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;

/**
 * What identifies a transaction in the layer's tables.
 *
 * <p>RFC 3261 §17.1.3 (client): the top Via branch and the CSeq method, because a CANCEL shares the INVITE's
 * branch. RFC 3261 §17.2.3 (server): branch, sent-by and method, an ACK counting as its INVITE. Requests from RFC
 * 2543 elements carry no magic cookie and are matched by the older rule: Request-URI, From tag, Call-ID, CSeq
 * number, top Via and method, plus the To tag except for INVITE and ACK (the ACK to a non-2xx carries the tag of the
 * server's response, which the INVITE lacked; {@link InviteServerTransaction} checks that tag itself).
 */
sealed interface TransactionKey {

    /** The key with another method: the INVITE that a CANCEL with this key would cancel (RFC 3261 §9.2). */
    TransactionKey withMethod(String method);

    record Branch(String branch, String sentBy, String method) implements TransactionKey {
        @Override
        public Branch withMethod(String newMethod) {
            return new Branch(branch, sentBy, newMethod);
        }
    }

    record Rfc2543(String requestUri, String fromTag, String callId, long sequence, String topVia, String method,
            String toTag) implements TransactionKey {
        @Override
        public Rfc2543 withMethod(String newMethod) {
            return new Rfc2543(requestUri, fromTag, callId, sequence, topVia, newMethod,
                    SipMethod.INVITE.equals(newMethod) ? null : toTag);
        }
    }

    /** RFC 3261 §17.1.3: the key a response is matched by. */
    static TransactionKey client(String branch, String method) {
        return new Branch(branch, "", method);
    }

    /** RFC 3261 §17.2.3: the key a request is matched by, with the RFC 2543 fallback. */
    static TransactionKey server(SipRequest request) {
        Via top = request.topVia();
        String method = request.isMethod(SipMethod.ACK) ? SipMethod.INVITE : request.method();
        if (top.hasRfc3261Branch()) {
            return new Branch(top.branch(), sentBy(top), method);
        }
        // RFC 3261 §17.2.3: "the backwards compatible procedures"
        String toTag = SipMethod.INVITE.equals(method) ? null : request.to().tag();
        return new Rfc2543(request.requestUri().toString(), request.from().tag(), request.callId(),
                request.cseq().sequence(), top.toString(), method, toTag);
    }

    /** Host names compare ignoring case (RFC 3261 §19.1.4); the port as written, absent differing from 5060. */
    private static String sentBy(Via via) {
        String host = Ascii.toLowerCase(via.host());
        return via.port() < 0 ? host : host + ':' + via.port();
    }
}
