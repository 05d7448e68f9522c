package dev.parley.server.runtime;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.call.Calls;
import dev.parley.pbx.webphone.WebPhones;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.sipstack.SipStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How {@link Server} puts the PBX on top of the SIP stack. The stack needs its handler when it is built, and the
 * PBX needs the stack to send, so the PBX is made first ({@link #handler}), given the stack before it starts
 * ({@link #attach}), drained on stop ({@link #drain}) and closed after the stack ({@link #close}).
 */
public interface PbxWiring {

    /** The PBX, as the stack's transaction user; called once, after the store is open, before the stack exists. */
    SipStack.Handler handler(ParleyConfig config, Repositories repositories, Clock clock);

    /** Called once with the stack built on {@link #handler}, before it starts listening. */
    default void attach(SipStack stack) {
    }

    /**
     * Called first on stop: answer new requests {@code 503} with {@code Retry-After: retryAfter}, let calls in
     * progress go on, and return when they have all ended or {@code deadline} has passed.
     */
    default void drain(Duration deadline, Duration retryAfter) throws InterruptedException {
    }

    /**
     * Called last on stop, after the stack closed and before the store closes: stop timers, flush CDRs, stop the
     * media plane.
     */
    default void close() {
    }

    /** How many RTP/RTCP port pairs the media plane has free, or -1 when there is none (tests watch for leaks). */
    default int freeMediaPortPairs() {
        return -1;
    }

    /** The calls in progress with their padlocks, for the API; empty before the PBX exists. */
    default List<CallView> liveCalls() {
        return List.of();
    }

    /**
     * The browser phones' session-bound SIP credentials the PBX accepts (for {@code POST /api/me/phone}), once
     * {@link #handler} made the PBX; empty when this wiring has none.
     */
    default Optional<WebPhones> webPhones() {
        return Optional.empty();
    }

    /**
     * Tells {@code listener} when calls ring, are answered and end (on the SIP lanes: it must only enqueue). Call
     * after {@link #handler}; nothing happens without a PBX.
     */
    default void addCallListener(Calls.Listener listener) {
    }

    /** The real one: a {@link dev.parley.pbx.Pbx} configured from {@link ParleyConfig#pbxConfig()}. */
    static PbxWiring standard() {
        return new StandardPbxWiring();
    }
}
