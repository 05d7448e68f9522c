package dev.parley.sdp.offeranswer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which codecs a B2BUA media anchor puts between its two legs when its media plane can convert between some codecs
 * ({@code convertible}, e.g. PCMU, PCMA, Opus). The rule: prefer a codec both peers share, so that bytes pass
 * untouched; convert only when they share none. Pure functions, like the rest of this package.
 * <ol>
 *   <li>{@link #offerFor}: the far leg is offered the near peer's codecs first (in its order and numbering, so a
 *       peer that takes the first codec it knows picks a shared one), then the convertible codecs the near peer
 *       lacks (a far peer that shares nothing with the near one can still be reached).</li>
 *   <li>{@link #answerable}: once the far peer has answered, the near peer's offer is answered with the far peer's
 *       codecs where they share one, else with the convertible ones.</li>
 * </ol>
 */
public final class RelayCodecs {
    /** RFC 3551 §6: the dynamic payload type range. */
    private static final int FIRST_DYNAMIC = 96;
    private static final int LAST_DYNAMIC = 127;

    private RelayCodecs() {
    }

    /**
     * The codecs to offer the far leg for a near offer of {@code offered}: {@code offered} as it is, then each
     * {@code convertible} codec it lacks, under its own payload type when that number is free in the offer, else
     * under the first free dynamic one (RFC 3264 §5.1: numbers are the offerer's to choose, one codec each).
     * Nothing is added when the near offer holds no convertible codec: the media plane could not reach the near
     * peer from what it adds.
     */
    public static List<Codec> offerFor(List<Codec> offered, List<Codec> convertible) {
        if (!shares(offered, convertible)) {
            return List.copyOf(offered);
        }
        List<Codec> out = new ArrayList<>(offered);
        Set<Integer> used = new HashSet<>();
        offered.forEach(c -> used.add(c.payloadType()));
        for (Codec c : convertible) {
            if (c.isTelephoneEvent() || out.stream().anyMatch(c::sameCodec)) {
                continue;
            }
            int pt = used.contains(c.payloadType()) ? freeDynamic(used) : c.payloadType();
            if (pt < 0) {
                break; // all 32 dynamic numbers taken: offer what fits
            }
            used.add(pt);
            out.add(c.withPayloadType(pt));
        }
        return out;
    }

    /**
     * What Parley may answer the near offer ({@code nearOffered}) with once the far peer settled on
     * {@code farChosen}: the far peer's audio codecs when the near offer has one of them (no conversion);
     * otherwise, when the far peer chose a convertible codec, every convertible codec (the media plane converts);
     * otherwise the far peer's codecs, which the answer will find nothing in (the legs cannot be joined). When the
     * far peer takes telephone-events, the near offer's are taken at any clock rate (the relay carries RFC 4733
     * events across and translates their clock; the answer still keeps only the rates of its chosen audio).
     */
    public static List<SupportedCodec> answerable(String media, List<Codec> nearOffered, List<Codec> farChosen,
            List<Codec> convertible) {
        // Loops rather than streams: this runs once per answered offer (issue 3's profile of the SIP load).
        List<Codec> take = new ArrayList<>(farChosen.size() + 2);
        addWhere(farChosen, false, take); // the far peer's audio
        if (!shares(nearOffered, take) && shares(take, convertible)) {
            take.clear();
            addWhere(convertible, false, take);
        }
        if (hasTelephoneEvent(farChosen)) {
            addWhere(farChosen, true, take);
            addWhere(nearOffered, true, take);
        }
        List<SupportedCodec> out = new ArrayList<>(take.size());
        for (Codec c : take) {
            SupportedCodec s = new SupportedCodec(media, c.encodingName(), c.clockRate(), c.channels());
            if (!out.contains(s)) { // distinct, first occurrence kept
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** Adds, in order, the codecs of {@code from} that are ({@code events}) or are not telephone-event. */
    private static void addWhere(List<Codec> from, boolean events, List<Codec> to) {
        for (Codec c : from) {
            if (c.isTelephoneEvent() == events) {
                to.add(c);
            }
        }
    }

    private static boolean hasTelephoneEvent(List<Codec> codecs) {
        for (Codec c : codecs) {
            if (c.isTelephoneEvent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether media can flow between a leg settled on {@code a} and one settled on {@code b}: they share an audio
     * codec, or each has one the media plane converts between.
     */
    public static boolean joinable(List<Codec> a, List<Codec> b, List<Codec> convertible) {
        return shares(a, b) || (shares(a, convertible) && shares(b, convertible));
    }

    /** Whether {@code a} and {@code b} have an audio codec (not telephone-event) in common. */
    static boolean shares(List<Codec> a, List<Codec> b) {
        for (Codec x : a) {
            if (!x.isTelephoneEvent()) {
                for (Codec y : b) {
                    if (x.sameCodec(y)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static int freeDynamic(Set<Integer> used) {
        for (int pt = FIRST_DYNAMIC; pt <= LAST_DYNAMIC; pt++) {
            if (!used.contains(pt)) {
                return pt;
            }
        }
        return -1;
    }
}
