package dev.parley.media.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.VirtualScheduler;
import dev.parley.media.protect.ReceiveProtection;
import dev.parley.media.protect.SendProtection;
import dev.parley.mediaapi.CertificateFingerprint;
import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.IceCredentials;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.dtls.DtlsSettings;
import dev.parley.rtp.ice.IceLiteSettings;
import dev.parley.rtp.stun.StunClass;
import dev.parley.rtp.stun.StunKey;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebRTC leg's rules without sockets: ICE decides who may send DTLS and media, and where media goes. */
class WebRtcLegTest {
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate();
    private static final Duration CONSENT = Duration.ofSeconds(30);
    private static final String BROWSER_UFRAG = "brws";

    private final VirtualScheduler time = new VirtualScheduler();
    private final List<Runnable> posted = new ArrayList<>();
    private final List<MediaEvent> events = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final WebRtcLeg leg = new WebRtcLeg(new EndpointId(7),
            new WebRtcSetup(CERTIFICATE, IceLiteSettings.defaults().withConsentTimeout(CONSENT),
                    DtlsSettings.defaults(), new SecureRandom()),
            time, posted::add, new WebRtcLeg.Host() {
                @Override
                public void send(byte[] array, int offset, int length, InetSocketAddress to) {
                    sent.add(new Sent(Arrays.copyOfRange(array, offset, offset + length), to));
                }

                @Override
                public void protect(ReceiveProtection receive, SendProtection send) {
                }

                @Override
                public void emit(MediaEvent event) {
                    events.add(event);
                }
            });
    private final InetSocketAddress browser = address(1);
    private final InetSocketAddress stranger = address(2);

    private record Sent(byte[] datagram, InetSocketAddress to) {
    }

    @AfterEach
    void close() {
        leg.close();
    }

    @Test
    void advertisesFreshIceCredentialsAndTheCertificatesFingerprint() {
        assertThat(leg.advertised().fingerprint().toSdpValue()).isEqualTo(CERTIFICATE.fingerprint().toSdpValue());
        assertThat(leg.advertised().ice().ufrag()).hasSize(8);
        assertThat(leg.advertised().ice().password()).hasSize(24);
    }

    @Test
    void aValidCheckIsAnsweredToItsSourceAndValidatesIt() {
        leg.configure(parameters(Protection.DtlsSrtp.Role.SERVER));
        check(browser, leg.advertised().ice().password(), false);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).to()).isEqualTo(browser);
        StunMessage answer = new StunMessage();
        answer.wrap(sent.get(0).datagram(), 0, sent.get(0).datagram().length);
        assertThat(answer.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(leg.admits(browser)).isTrue();
        assertThat(leg.target()).as("validated, not nominated: nowhere to send yet").isNull();
    }

    @Test
    void aCheckWithTheWrongPasswordValidatesNothing() {
        leg.configure(parameters(Protection.DtlsSrtp.Role.SERVER));
        check(browser, "not-the-password-at-all-000", true);
        assertThat(sent).hasSize(1); // 401, unauthenticated
        assertThat(leg.admits(browser)).isFalse();
        assertThat(leg.target()).isNull();
    }

    /** Parley's DTLS server sends no cookie: ICE must have proven the source before its ClientHello is read. */
    @Test
    void dtlsIsTakenOnlyFromAnAddressThatPassedACheck() {
        leg.configure(parameters(Protection.DtlsSrtp.Role.SERVER));
        byte[] clientHello = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(leg.onDtls(clientHello, 0, clientHello.length, stranger)).isFalse();
        check(browser, leg.advertised().ice().password(), false);
        assertThat(leg.onDtls(clientHello, 0, clientHello.length, stranger)).isFalse();
        assertThat(leg.onDtls(clientHello, 0, clientHello.length, browser)).isTrue();
    }

    @Test
    void mediaGoesToTheNominatedPairUntilConsentExpires() {
        leg.configure(parameters(Protection.DtlsSrtp.Role.SERVER));
        check(browser, leg.advertised().ice().password(), true);
        assertThat(leg.target()).isEqualTo(browser);
        assertThat(leg.admits(stranger)).isFalse();

        time.advance(CONSENT.minusSeconds(1));
        check(browser, leg.advertised().ice().password(), false); // a consent check refreshes the pair
        time.advance(CONSENT.minusSeconds(1));
        assertThat(events).isEmpty();
        assertThat(leg.target()).isEqualTo(browser);

        time.advance(Duration.ofSeconds(2));
        assertThat(events).containsExactly(new MediaEvent.ConsentExpired(new EndpointId(7)));
        assertThat(leg.target()).isNull();
        assertThat(leg.admits(browser)).isFalse();
    }

    @Test
    void fingerprintsOfUnknownHashFunctionsFailTheLegAtOnce() {
        leg.configure(EndpointParameters.webRtc(null, List.of(PayloadFormat.of(0, "PCMU", 8000)),
                Direction.SENDRECV, new Protection.DtlsSrtp(Protection.DtlsSrtp.Role.SERVER,
                        List.of(new CertificateFingerprint("sha-999", "AB:CD"))),
                new IceCredentials(BROWSER_UFRAG, "browser-password-0123456789")));
        assertThat(events).singleElement().isInstanceOf(MediaEvent.DtlsFailed.class);
    }

    @Test
    void refusesParametersThatAreNotABrowserLeg() {
        EndpointParameters plain = new EndpointParameters(browser, null, true,
                List.of(PayloadFormat.of(0, "PCMU", 8000)), Direction.SENDRECV, Protection.none(), Protection.none());
        assertThatThrownBy(() -> leg.configure(plain)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asDtlsClientItStartsOnceACheckHasShownTheBrowsersAddress() {
        leg.configure(parameters(Protection.DtlsSrtp.Role.CLIENT));
        assertThat(leg.toString()).contains("dtls not started");
        check(browser, leg.advertised().ice().password(), false);
        assertThat(leg.toString()).doesNotContain("dtls not started");
    }

    private EndpointParameters parameters(Protection.DtlsSrtp.Role role) {
        CertificateFingerprint browserCertificate = CertificateFingerprint
                .parse(DtlsCertificate.generate().fingerprint().toSdpValue()).orElseThrow();
        return EndpointParameters.webRtc(null, List.of(PayloadFormat.of(0, "PCMU", 8000)), Direction.SENDRECV,
                new Protection.DtlsSrtp(role, List.of(browserCertificate)),
                new IceCredentials(BROWSER_UFRAG, "browser-password-0123456789"));
    }

    /** A browser's connectivity check (RFC 8445 §7.2.2) from {@code from}, signed with {@code password}. */
    private void check(InetSocketAddress from, String password, boolean useCandidate) {
        byte[] tx = new byte[12];
        new SecureRandom().nextBytes(tx);
        byte[] out = new byte[300];
        StunWriter w = new StunWriter().begin(out, 0, out.length, StunClass.REQUEST.type(StunMessage.BINDING), tx, 0)
                .text(0x0006, leg.advertised().ice().ufrag() + ":" + BROWSER_UFRAG)
                .priority(0x6e0001ffL)
                .iceControlling(42);
        if (useCandidate) {
            w.useCandidate();
        }
        int length = w.messageIntegrity(StunKey.shortTerm(password)).fingerprint().finish();
        leg.onStun(out, 0, length, from);
    }

    private static InetSocketAddress address(int last) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last}), 50000);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
