package dev.parley.media.relay;

import dev.parley.mediaapi.PayloadFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * For one direction of a bridge, what each payload type arriving on the receiving leg becomes on the sending leg:
 * the payload type that leg numbers the same codec with (legs may number codecs differently, and dynamic types
 * such as telephone-event usually differ), a G.711 law conversion when that leg has the other law, or a
 * {@link Transcoder} when it has neither: Opus ↔ G.711, and telephone-events whose clock rate differs. Computed
 * when a bridge forms or either leg is reconfigured, so the packet path is a few array reads.
 *
 * <p>Preference, per incoming codec: the same codec (no transcoding when the legs share one), then the other G.711
 * law (a table lookup per byte), then transcoding to the first G.711 law (for Opus) or to Opus (for G.711) in the
 * other leg's list, which is in its order of preference.
 *
 * <p>Transcoders carry codec state, so a route rebuilt for a re-INVITE that keeps the same codecs takes over the
 * previous route's transcoders instead of starting new ones: the peer hears no restart.
 *
 * <p>Everything the packet path reads for a payload type is packed into one long (output type, conversion,
 * telephone-event flag, both clock rates), so a packet reads one cache line of its route, not six arrays: a relay's
 * thousands of routes are cold by their next packet. The longs of the types the leg negotiated sit in a small
 * open-addressed table keyed by payload type (at least twice as many slots as types, so a lookup ends at the
 * type's own slot or a few after it), not in a 128-entry array: a call of PCMU and telephone-event keeps 48 octets
 * per direction instead of 1 KiB. Per-call state is what the collector copies while a new call is young (the
 * set-up pauses of the relay benchmark), so it is kept small. The transcoders' array exists only in a route that
 * has one.
 */
final class PayloadRoute {
    static final int DROP = -1;
    static final PayloadRoute NONE = new PayloadRoute().freeze();

    private static final Conversion[] CONVERSIONS = Conversion.values();
    // One entry per payload type: bits 0-7 the output type (0xFF: drop), 8-9 the conversion's ordinal, 10 the
    // telephone-event flag, 11-31 the input clock rate, 32-52 the output clock rate (21 bits each: up to 2 MHz).
    private static final int TYPE_MASK = 0xFF;
    private static final int CONVERSION_SHIFT = 8;
    private static final long TELEPHONE_EVENT = 1L << 10;
    private static final int INPUT_RATE_SHIFT = 11;
    private static final int OUTPUT_RATE_SHIFT = 32;
    private static final long RATE_MASK = (1L << 21) - 1;
    // In the table, bits 53-59 hold the entry's own payload type and bit 60 marks a used slot (so it is never 0).
    private static final int KEY_SHIFT = 53;
    private static final long USED = 1L << 60;
    /** What a payload type the leg did not negotiate reads: dropped, no conversion, no clock rates. */
    private static final long ABSENT = TYPE_MASK;
    private static final int PAYLOAD_TYPES = 128;

    /** Open addressing by payload type, linear probing; the length a power of two, 0 = empty slot. */
    private long[] entries;
    private Transcoder[] transcoder; // null until a payload type gets one; the same slots as entries
    private Renumbering numbering;
    // While between() builds the route: one entry (and transcoder) per payload type, dropped by freeze()
    private long[] building;
    private Transcoder[] buildingTranscoders;

    private PayloadRoute() {
        building = new long[PAYLOAD_TYPES];
        Arrays.fill(building, ABSENT);
    }

    private void set(int type, long keep, long value) {
        building[type] = building[type] & keep | value | USED;
    }

    private void outputType(int type, int outputType) {
        set(type, ~TYPE_MASK, outputType & TYPE_MASK);
    }

    private void inputClockRate(int type, int rate) {
        set(type, ~(RATE_MASK << INPUT_RATE_SHIFT), (rate & RATE_MASK) << INPUT_RATE_SHIFT);
    }

    private void outputClockRate(int type, int rate) {
        set(type, ~(RATE_MASK << OUTPUT_RATE_SHIFT), (rate & RATE_MASK) << OUTPUT_RATE_SHIFT);
    }

    private void conversion(int type, Conversion conversion) {
        set(type, ~(3L << CONVERSION_SHIFT), (long) conversion.ordinal() << CONVERSION_SHIFT);
    }

    private void telephoneEvent(int type, boolean telephoneEvent) {
        set(type, ~TELEPHONE_EVENT, telephoneEvent ? TELEPHONE_EVENT : 0);
    }

    private void transcoder(int type, Transcoder t) {
        if (buildingTranscoders == null) {
            buildingTranscoders = new Transcoder[PAYLOAD_TYPES];
        }
        buildingTranscoders[type] = t;
        set(type, -1L, 0);
    }

    /** Packs the types that were set into the lookup table; the route is immutable from here on. */
    private PayloadRoute freeze() {
        int used = 0;
        for (long e : building) {
            used += (e & USED) != 0 ? 1 : 0;
        }
        int size = 1;
        while (size < 2 * used) {
            size <<= 1; // at most half full, so a probe always reaches an empty slot
        }
        entries = new long[size];
        transcoder = buildingTranscoders == null ? null : new Transcoder[size];
        for (int type = 0; type < PAYLOAD_TYPES; type++) {
            if ((building[type] & USED) == 0) {
                continue;
            }
            int slot = type & (size - 1);
            while (entries[slot] != 0) {
                slot = (slot + 1) & (size - 1);
            }
            entries[slot] = building[type] | (long) type << KEY_SHIFT;
            if (transcoder != null) {
                transcoder[slot] = buildingTranscoders[type];
            }
        }
        building = null;
        buildingTranscoders = null;
        return this;
    }

    /** The slot of {@code type} in {@link #entries}, or -1 when the leg did not negotiate it. */
    private int slot(int type) {
        long[] e = entries;
        int mask = e.length - 1;
        for (int slot = type & mask; ; slot = (slot + 1) & mask) {
            long v = e[slot];
            if (v == 0) {
                return -1;
            }
            if ((int) (v >>> KEY_SHIFT) == (type | (int) (USED >>> KEY_SHIFT))) {
                return slot;
            }
        }
    }

    private long entry(int type) {
        int slot = slot(type);
        return slot < 0 ? ABSENT : entries[slot];
    }

    /** The route from what {@code from}'s peer sends to what {@code to}'s peer accepts. */
    static PayloadRoute between(List<PayloadFormat> from, List<PayloadFormat> to) {
        return between(from, to, NONE);
    }

    /** As {@link #between(List, List)}, taking over {@code previous}'s transcoders where they still fit. */
    static PayloadRoute between(List<PayloadFormat> from, List<PayloadFormat> to, PayloadRoute previous) {
        PayloadRoute route = new PayloadRoute();
        PayloadFormat transcodedTo = null;
        for (PayloadFormat in : from) {
            int type = in.payloadType();
            route.inputClockRate(type, in.clockRate());
            route.telephoneEvent(type, in.isTelephoneEvent());
            if (in.isTelephoneEvent()) {
                continue; // once the audio's route is known
            }
            Optional<PayloadFormat> same = to.stream().filter(in::sameCodec).findFirst();
            if (same.isPresent()) {
                route.outputType(type, same.get().payloadType());
                route.outputClockRate(type, same.get().clockRate());
                continue;
            }
            // ITU-T G.711: PCMU and PCMA share rate, framing and sample size, so one leg speaking only μ-law and the
            // other only A-law need a table lookup per byte, not a transcoder.
            Optional<PayloadFormat> otherLaw = to.stream().filter(out -> isLaw(out, lawPartner(in))).findFirst();
            if (isG711(in) && otherLaw.isPresent()) {
                route.outputType(type, otherLaw.get().payloadType());
                route.outputClockRate(type, 8000);
                route.conversion(type, isLaw(in, "PCMU") ? Conversion.ULAW_TO_ALAW : Conversion.ALAW_TO_ULAW);
                continue;
            }
            Optional<PayloadFormat> target = to.stream()
                    .filter(isOpus(in) ? PayloadRoute::isG711 : isG711(in) ? PayloadRoute::isOpus : nothing())
                    .findFirst();
            if (target.isPresent()) {
                PayloadFormat out = target.get();
                route.numbering = route.numbering != null ? route.numbering
                        : previous.numbering != null && previous.numbering.sameClocks(in.clockRate(), out.clockRate())
                                ? previous.numbering : Renumbering.between(in.clockRate(), out.clockRate());
                Transcoder old = previous.transcoder(type);
                route.transcoder(type, reuse(old, in, out, route.numbering) ? old
                        : isOpus(in) ? new OpusToG711(in, out, route.numbering) : new G711ToOpus(in, out, route.numbering));
                route.outputType(type, out.payloadType());
                route.outputClockRate(type, out.clockRate());
                transcodedTo = transcodedTo == null ? out : transcodedTo;
            }
        }
        for (PayloadFormat in : from) {
            if (in.isTelephoneEvent()) {
                route.routeTelephoneEvent(in, to, transcodedTo, previous);
            }
        }
        return route.freeze();
    }

    /**
     * RFC 4733 events. In a transcoded direction every event goes through the audio's renumbering, to the other
     * leg's telephone-event at the audio's new clock rate when it has one. Otherwise the same format passes as it
     * is, and one at another clock rate has its durations rescaled in place.
     */
    private void routeTelephoneEvent(PayloadFormat in, List<PayloadFormat> to, PayloadFormat transcodedTo,
            PayloadRoute previous) {
        int type = in.payloadType();
        Optional<PayloadFormat> target;
        Renumbering events;
        if (numbering != null) {
            target = to.stream().filter(f -> f.isTelephoneEvent() && f.clockRate() == transcodedTo.clockRate())
                    .findFirst().or(() -> to.stream().filter(PayloadFormat::isTelephoneEvent).findFirst());
            events = numbering;
        } else {
            Optional<PayloadFormat> same = to.stream().filter(in::sameCodec).findFirst();
            if (same.isPresent()) {
                outputType(type, same.get().payloadType());
                outputClockRate(type, same.get().clockRate());
                return;
            }
            target = to.stream().filter(PayloadFormat::isTelephoneEvent).findFirst();
            events = Renumbering.identity();
        }
        if (target.isEmpty()) {
            return;
        }
        PayloadFormat out = target.get();
        Transcoder old = previous.transcoder(type);
        transcoder(type, numbering != null && reuse(old, in, out, events) ? old
                : new TelephoneEventTranslation(in, out, events));
        outputType(type, out.payloadType());
        outputClockRate(type, out.clockRate());
    }

    /** Payload types the receiving leg's peer may send (known from its SDP) carry their clock rate; others 0. */
    static PayloadRoute receiveOnly(List<PayloadFormat> from) {
        return between(from, List.of());
    }

    /**
     * Everything this route says about {@code inputType} in one word, read apart with {@link #outputTypeOf},
     * {@link #inputClockRateOf}, {@link #outputClockRateOf}, {@link #conversionOf}, {@link #isTelephoneEventOf}: the
     * relay's packet path looks its payload type up once per packet instead of once per question.
     */
    long lookup(int inputType) {
        return entry(inputType);
    }

    /** The payload type packets of {@code inputType} leave with, or {@link #DROP}. */
    int outputType(int inputType) {
        return outputTypeOf(entry(inputType));
    }

    int inputClockRate(int inputType) {
        return inputClockRateOf(entry(inputType));
    }

    int outputClockRate(int inputType) {
        return outputClockRateOf(entry(inputType));
    }

    Conversion conversion(int inputType) {
        return conversionOf(entry(inputType));
    }

    /** {@link #outputType} from a {@link #lookup}. */
    static int outputTypeOf(long entry) {
        int type = (int) entry & TYPE_MASK;
        return type == TYPE_MASK ? DROP : type;
    }

    static int inputClockRateOf(long entry) {
        return (int) (entry >>> INPUT_RATE_SHIFT & RATE_MASK);
    }

    static int outputClockRateOf(long entry) {
        return (int) (entry >>> OUTPUT_RATE_SHIFT & RATE_MASK);
    }

    static Conversion conversionOf(long entry) {
        return CONVERSIONS[(int) (entry >>> CONVERSION_SHIFT) & 3];
    }

    static boolean isTelephoneEventOf(long entry) {
        return (entry & TELEPHONE_EVENT) != 0;
    }

    /** Whether some payload type of this route is transcoded (else {@link #transcoder} is null for every one). */
    boolean transcodes() {
        return transcoder != null;
    }

    /** The transcoder for this payload type, or {@code null} when packets are relayed (and maybe law-converted). */
    Transcoder transcoder(int inputType) {
        Transcoder[] t = transcoder;
        if (t == null) {
            return null;
        }
        int slot = slot(inputType);
        return slot < 0 ? null : t[slot];
    }

    boolean isTelephoneEvent(int inputType) {
        return isTelephoneEventOf(entry(inputType));
    }

    /** How many slots the route's table has (for tests: it grows with the negotiated types, not with 128). */
    int slots() {
        return entries.length;
    }

    private static boolean reuse(Transcoder old, PayloadFormat in, PayloadFormat out, Renumbering numbering) {
        return old != null && old.serves(in, out, numbering);
    }

    private static Predicate<PayloadFormat> nothing() {
        return f -> false;
    }

    /** RFC 7587 §7: {@code opus/48000/2} is the only rtpmap, whatever the audio's bandwidth and channels. */
    static boolean isOpus(PayloadFormat f) {
        return f.encodingName().equalsIgnoreCase("opus") && f.clockRate() == 48000;
    }

    static boolean isG711(PayloadFormat f) {
        return isLaw(f, "PCMU") || isLaw(f, "PCMA");
    }

    private static String lawPartner(PayloadFormat f) {
        return isLaw(f, "PCMU") ? "PCMA" : "PCMU";
    }

    private static boolean isLaw(PayloadFormat f, String name) {
        return f.encodingName().equalsIgnoreCase(name) && f.clockRate() == 8000 && f.channels() == 1;
    }
}
