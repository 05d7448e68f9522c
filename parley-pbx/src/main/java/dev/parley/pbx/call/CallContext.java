package dev.parley.pbx.call;

import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.sipstack.SipStack;
import dev.parley.mediaapi.MediaService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What every call needs from its surroundings.
 *
 * @param stack where requests go and Call-IDs, Vias and Contacts come from
 * @param calls the registry of calls in progress
 * @param blocking runs blocking work (saving CDRs) off the lanes, on virtual threads
 * @param records where CDRs go
 * @param clock wall-clock time for CDRs
 * @param noAnswerTimeout how long branches ring before the caller gets 480 (cause {@code no-answer})
 * @param media the media plane every call is anchored on
 * @param random where SDES keys and SDP session ids come from
 */
public record CallContext(SipStack stack, Calls calls, Executor blocking, CallRecordRepository records, Clock clock,
        Duration noAnswerTimeout, MediaService media, SecureRandom random) {
    public CallContext {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(blocking, "blocking");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(noAnswerTimeout, "noAnswerTimeout");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(random, "random");
    }
}
