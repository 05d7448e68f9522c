package dev.parley.server.runtime;

import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.sipstack.SipStack;
import java.time.Clock;
import java.time.Duration;

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

    /** Called last on stop, after the stack closed and before the store closes: stop timers, flush CDRs. */
    default void close() {
    }

    /** The real one: a {@link dev.parley.pbx.Pbx} configured from {@link ParleyConfig#pbxConfig()}. */
    static PbxWiring standard() {
        return new StandardPbxWiring();
    }
}
