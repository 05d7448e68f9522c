package dev.parley.server.runtime;

import dev.parley.media.MediaSettings;
import dev.parley.media.NettyMediaService;
import dev.parley.pbx.Pbx;
import dev.parley.pbx.PbxPorts;
import dev.parley.pbx.call.CallView;
import dev.parley.pbx.webphone.WebPhones;
import dev.parley.server.config.ConfigException;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.sipstack.SipStack;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PbxWiring} with the real {@link Pbx} on the real media plane ({@link NettyMediaService}), in the order its
 * class comment prescribes: the media plane starts before the PBX exists (every call is anchored on it) and stops
 * last, after the SIP drain ended the calls and the stack closed, so no call loses its media while it can still
 * say goodbye. Used by one server.
 */
final class StandardPbxWiring implements PbxWiring {
    private static final Logger LOG = LoggerFactory.getLogger(StandardPbxWiring.class);

    private Pbx pbx;
    private NettyMediaService media;
    private WebPhones webPhones;

    @Override
    public SipStack.Handler handler(ParleyConfig config, Repositories repositories, Clock clock) {
        if (pbx != null) {
            throw new IllegalStateException("this wiring already made its PBX");
        }
        PbxPorts stored = repositories.pbxPorts();
        // browser phones' credentials live in memory beside the stored devices (issue 6). The user and their
        // extensions are exact reads, not the PBX's cache: issuing happens once per web session, and a user given
        // an extension a moment ago must get a phone at once, not after the cache's next version check
        webPhones = new WebPhones(repositories.users(), repositories.extensions(), stored.devices(), clock,
                new SecureRandom(), WebPhones.DEFAULT_LIFETIME);
        PbxPorts ports = stored.withDevices(webPhones.devices());
        media = new NettyMediaService(mediaSettings(config));
        try {
            media.start();
        } catch (IllegalStateException e) {
            // the shared WebRTC port is bound at start (range ports only per call): the user's to fix, one line
            media = null; // it stopped its event loops itself
            throw new ConfigException("media: " + e.getMessage() + " (settings media.webrtc-port, media.port-min,"
                    + " media.bind-address; -1 gives each browser leg ports of the range instead)", e);
        }
        pbx = new Pbx(config.pbxConfig(), ports, media, clock);
        webPhones.attach(pbx.registrar());
        return pbx;
    }

    /** The media plane's settings from {@code media.*}. */
    static MediaSettings mediaSettings(ParleyConfig config) {
        ParleyConfig.Media m = config.media();
        int webRtcPort = m.effectiveWebRtcPort();
        return MediaSettings.defaults(config.mediaBindAddress(), config.mediaAdvertisedAddress())
                .withPortRange(m.relayPortMin(), m.portMax())
                .withMaxEndpoints((m.portMax() - m.relayPortMin() + 1) / 2)
                .withMediaTimeout(m.timeout())
                .withConsentTimeout(m.webRtcConsentTimeout())
                .withWebRtcPort(webRtcPort == ParleyConfig.DISABLED ? 0 : webRtcPort)
                .withPrebindIdlePairs(true);
    }

    @Override
    public Optional<WebPhones> webPhones() {
        return Optional.ofNullable(webPhones);
    }

    @Override
    public List<CallView> liveCalls() {
        return pbx == null ? List.of() : pbx.liveCalls();
    }

    @Override
    public void addCallListener(dev.parley.pbx.call.Calls.Listener listener) {
        if (pbx != null) {
            pbx.addCallListener(listener);
        }
    }

    @Override
    public int freeMediaPortPairs() {
        return media == null ? -1 : media.freePortPairs();
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
        if (media != null) {
            media.stop();
        }
    }
}
