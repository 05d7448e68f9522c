package dev.parley.rtp.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 8122 §5 fingerprint attribute values and RFC 4145/5763 setup roles. */
class DtlsFingerprintTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generate();

    @Test
    void rfc8122FormatIsUpperCaseHexPairsSeparatedByColons() {
        String value = CERT.fingerprint().toSdpValue();
        assertThat(value).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(DtlsFingerprint.parse(value)).contains(CERT.fingerprint());
    }

    @Test
    void chromiumStyleValueParsesAndLowerCaseHexIsAccepted() {
        String chromium = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3E:4B:65:0A:"
                + "B0:73:2D:C3:4C:B8:4F:FF";
        assertThat(DtlsFingerprint.parse(chromium)).isPresent();
        assertThat(DtlsFingerprint.parse("SHA-256 " + chromium.substring(8).toLowerCase()))
                .isEqualTo(DtlsFingerprint.parse(chromium));
    }

    @Test
    void malformedOrWeakValuesAreRefused() {
        String hex32 = CERT.fingerprint().toSdpValue().substring(8);
        assertThat(DtlsFingerprint.parse("md5 " + hex32.substring(0, 47))).isEmpty();
        assertThat(DtlsFingerprint.parse("sha-256 " + hex32.substring(3))).isEmpty(); // 31 octets
        assertThat(DtlsFingerprint.parse("sha-256 " + hex32.replace(':', '-'))).isEmpty();
        assertThat(DtlsFingerprint.parse("sha-256 ZZ" + hex32.substring(2))).isEmpty();
        assertThat(DtlsFingerprint.parse("sha-256")).isEmpty();
        assertThat(DtlsFingerprint.parse("sha-256 " + "AB:".repeat(200) + "AB")).isEmpty();
        assertThat(DtlsFingerprint.parse("")).isEmpty();
        assertThat(DtlsFingerprint.parse(null)).isEmpty();
    }

    @Test
    void matchesOnlyTheCertificateItWasMadeFrom() {
        assertThat(CERT.fingerprint().matches(CERT.der())).isTrue();
        assertThat(CERT.fingerprint().matches(DtlsCertificate.generate().der())).isFalse();
        assertThat(DtlsFingerprint.of("sha-512", CERT.der()).matches(CERT.der())).isTrue();
    }

    @Test
    void generatedCertificatesAreDistinctAndNameNoHost() {
        DtlsCertificate other = DtlsCertificate.generate();
        assertThat(other.fingerprint()).isNotEqualTo(CERT.fingerprint());
        assertThat(CERT.toString()).startsWith("DtlsCertificate[sha-256 ");
    }

    @Test
    void rfc4145SetupDecidesTheRole() {
        assertThat(DtlsRole.forLocalSetup("passive")).contains(DtlsRole.SERVER);
        assertThat(DtlsRole.forLocalSetup("active")).contains(DtlsRole.CLIENT);
        assertThat(DtlsRole.forLocalSetup("actpass")).isEmpty();
        assertThat(DtlsRole.forRemoteSetup("active")).contains(DtlsRole.SERVER);
        assertThat(DtlsRole.forRemoteSetup("PASSIVE")).contains(DtlsRole.CLIENT);
        assertThat(DtlsRole.forRemoteSetup("holdconn")).isEmpty();
    }
}
