package dev.parley.pbx.call;

import dev.parley.sip.header.CallInfo;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.uri.SipUri;

/**
 * The header that asks a phone to answer by itself: {@code Call-Info: <sip:HOST>;answer-after=0}.
 *
 * <p>RFC 7462 §4.1 defines {@code answer-after} (seconds before answering) as a Call-Info parameter; the URI
 * names who asks (Parley). What the phones on this machine do with it (checked in their code, December 2026):
 * JsSIP 3.13 has no notion of it and leaves it to the application, which finds it with
 * {@code session.request.getHeader('Call-Info')} in {@code newRTCSession} (a phone page may answer when it sees
 * {@code answer-after=0}); baresip 1.0's binary contains neither {@code Call-Info} nor {@code answer-after}: it
 * answers by itself only by its per-account {@code answermode=auto}, whatever the INVITE says; sipp ignores it,
 * which the tests use to see it on the wire. Parley never assumes a phone obeyed: the call rings until a 200.
 */
final class AutoAnswer {
    private AutoAnswer() {
    }

    static CallInfo callInfo(String host) {
        return new CallInfo(SipUri.builder().secure(false).host(host).build(),
                Parameters.EMPTY.with("answer-after", "0"));
    }
}
