package dev.parley.media.relay;

import dev.parley.mediaapi.PayloadFormat;
import java.util.List;

/** What the relay converts between when two legs share no codec (see {@link PayloadRoute}). */
public final class Transcodings {
    /**
     * PCMU ↔ PCMA by table, and either ↔ Opus through 8 kHz PCM; each with the payload type it is usually offered
     * with (the relay maps by codec, not by number). Opus says {@code useinbandfec=1} (RFC 7587 §6.1): what Parley
     * receives in Opus it can recover a lost packet from. Telephone-events (RFC 4733) are carried across any of
     * these, with their clock rate translated where the legs clock them differently.
     */
    public static final List<PayloadFormat> CONVERTIBLE = List.of(
            PayloadFormat.of(0, "PCMU", 8000),
            PayloadFormat.of(8, "PCMA", 8000),
            new PayloadFormat(111, "opus", 48000, 2, "useinbandfec=1"));

    private Transcodings() {
    }
}
