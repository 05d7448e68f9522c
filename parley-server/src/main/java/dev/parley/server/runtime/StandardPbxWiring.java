package dev.parley.server.runtime;

import dev.parley.pbx.Pbx;
import dev.parley.pbx.PbxPorts;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.sipstack.SipStack;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link PbxWiring} with the real {@link Pbx}, in the order its class comment prescribes. Used by one server. */
final class StandardPbxWiring implements PbxWiring {
    private static final Logger LOG = LoggerFactory.getLogger(StandardPbxWiring.class);

    private Pbx pbx;

    @Override
    public SipStack.Handler handler(ParleyConfig config, Repositories repositories, Clock clock) {
        if (pbx != null) {
            throw new IllegalStateException("this wiring already made its PBX");
        }
        PbxPorts ports = new PbxPorts(repositories.users(), repositories.extensions(), repositories.devices(),
                repositories.bindings(), repositories.callRecords());
        pbx = new Pbx(config.pbxConfig(), ports, clock);
        return pbx;
    }

    @Override
    public void attach(SipStack stack) {
        pbx.attach(stack);
    }

    /** New INVITEs and REGISTERs get 503 with the configured Retry-After; calls left at the deadline are ended. */
    @Override
    public void drain(Duration deadline, Duration retryAfter) throws InterruptedException {
        pbx.drain();
        int ended = pbx.awaitCalls(deadline);
        if (ended > 0) {
            LOG.info("ended {} call(s) at the drain deadline ({} s)", ended, deadline.toSeconds());
        }
    }

    @Override
    public void close() {
        if (pbx != null) {
            pbx.close();
        }
    }
}
