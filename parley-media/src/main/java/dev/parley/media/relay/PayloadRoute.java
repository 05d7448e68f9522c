package dev.parley.media.relay;

import dev.parley.mediaapi.PayloadFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * For one direction of a bridge, what each payload type arriving on the receiving leg becomes on the sending leg:
 * the payload type that leg numbers the same codec with (legs may number codecs differently, and dynamic types
 * such as telephone-event usually differ), or a G.711 law conversion when that leg has no such codec. Computed
 * when a bridge forms or either leg is reconfigured, so the packet path is two array reads.
 */
final class PayloadRoute {
    static final int DROP = -1;
    static final PayloadRoute NONE = new PayloadRoute();

    private final int[] outputType = new int[128];
    private final int[] inputClockRate = new int[128];
    private final int[] outputClockRate = new int[128];
    private final Conversion[] conversion = new Conversion[128];
    private final boolean[] telephoneEvent = new boolean[128];

    private PayloadRoute() {
        Arrays.fill(outputType, DROP);
        Arrays.fill(conversion, Conversion.NONE);
    }

    /** The route from what {@code from}'s peer sends to what {@code to}'s peer accepts. */
    static PayloadRoute between(List<PayloadFormat> from, List<PayloadFormat> to) {
        PayloadRoute route = new PayloadRoute();
        for (PayloadFormat in : from) {
            int type = in.payloadType();
            route.inputClockRate[type] = in.clockRate();
            route.telephoneEvent[type] = in.isTelephoneEvent();
            Optional<PayloadFormat> same = to.stream().filter(in::sameCodec).findFirst();
            if (same.isPresent()) {
                route.outputType[type] = same.get().payloadType();
                route.outputClockRate[type] = same.get().clockRate();
                continue;
            }
            // ITU-T G.711: PCMU and PCMA share rate, framing and sample size, so one leg speaking only μ-law and the
            // other only A-law need a table lookup per byte, not a transcoder.
            Optional<PayloadFormat> otherLaw = to.stream().filter(out -> isLaw(out, lawPartner(in))).findFirst();
            if (isG711(in) && otherLaw.isPresent()) {
                route.outputType[type] = otherLaw.get().payloadType();
                route.outputClockRate[type] = 8000;
                route.conversion[type] = isLaw(in, "PCMU") ? Conversion.ULAW_TO_ALAW : Conversion.ALAW_TO_ULAW;
            }
        }
        return route;
    }

    /** Payload types the receiving leg's peer may send (known from its SDP) carry their clock rate; others 0. */
    static PayloadRoute receiveOnly(List<PayloadFormat> from) {
        return between(from, List.of());
    }

    int outputType(int inputType) {
        return outputType[inputType];
    }

    int inputClockRate(int inputType) {
        return inputClockRate[inputType];
    }

    int outputClockRate(int inputType) {
        return outputClockRate[inputType];
    }

    Conversion conversion(int inputType) {
        return conversion[inputType];
    }

    boolean isTelephoneEvent(int inputType) {
        return telephoneEvent[inputType];
    }

    private static boolean isG711(PayloadFormat f) {
        return isLaw(f, "PCMU") || isLaw(f, "PCMA");
    }

    private static String lawPartner(PayloadFormat f) {
        return isLaw(f, "PCMU") ? "PCMA" : "PCMU";
    }

    private static boolean isLaw(PayloadFormat f, String name) {
        return f.encodingName().equalsIgnoreCase(name) && f.clockRate() == 8000 && f.channels() == 1;
    }
}
