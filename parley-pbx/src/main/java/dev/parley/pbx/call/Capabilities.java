package dev.parley.pbx.call;

import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import java.util.List;
import java.util.Set;

/**
 * What Parley's SIP core does, as advertised in {@code Allow}, {@code Supported} and {@code Accept}: only what
 * works end to end. UPDATE and INFO are relayed inside established calls; REFER (RFC 3515) is a blind transfer
 * by the callee ({@link BlindTransfer}); PRACK (RFC 3262), session timers (RFC 4028) and SUBSCRIBE/NOTIFY are not
 * offered yet.
 */
public final class Capabilities {
    /** Methods Parley handles (RFC 3261 §20.5). */
    public static final List<String> ALLOWED = List.of(SipMethod.INVITE, SipMethod.ACK, SipMethod.CANCEL,
            SipMethod.BYE, SipMethod.OPTIONS, SipMethod.REGISTER, SipMethod.UPDATE, SipMethod.INFO,
            SipMethod.REFER);

    /**
     * Option tags Parley supports. {@code path} (RFC 3327) is the registrar's; no extension is supported for calls,
     * so any {@code Require} on a non-REGISTER request is refused with 420 (RFC 3261 §8.2.2.3).
     */
    public static final Set<String> SUPPORTED = Set.of("path");

    /** The only body Parley reads in INVITE, re-INVITE, UPDATE and ACK. */
    public static final String ACCEPT = "application/sdp";

    private static final String ALLOW_VALUE = String.join(", ", ALLOWED);

    private Capabilities() {
    }

    public static boolean isAllowed(String method) {
        return ALLOWED.contains(method);
    }

    /** Adds {@code Allow}. */
    public static <B extends SipMessage.Builder<B>> B allow(B builder) {
        return builder.set(HeaderName.ALLOW, ALLOW_VALUE);
    }

    /** Adds {@code Allow}, {@code Accept} and {@code Supported}, as an OPTIONS answer carries them (RFC 3261 §11.2). */
    public static <B extends SipMessage.Builder<B>> B describe(B builder) {
        allow(builder).set(HeaderName.ACCEPT, ACCEPT);
        for (String tag : SUPPORTED) {
            builder.add(HeaderType.SUPPORTED, tag);
        }
        return builder;
    }
}
