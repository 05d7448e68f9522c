package dev.parley.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.CryptoSuite;
import org.junit.jupiter.api.Test;

/** Keys and ICE passwords never reach a log: redaction of raw text and of every toString. */
class SdpRedactionTest {

    private static final String KEY = "pCieY2LogegJKEMFrEUBUCro5Wx5t5DbaHR+sxSO";

    @Test
    void redactsCryptoKeysIcePasswordsAndKLinesInRawText() {
        String raw = "v=0\r\nk=clear:hunter2\r\nm=audio 1 RTP/SAVP 0\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4;inline:" + KEY + "|2^20|2:4"
                + " KDR=1\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\na=crypto:junk\n";

        assertThat(SdpRedaction.redact(raw)).isEqualTo("v=0\r\nk=<redacted>\r\nm=audio 1 RTP/SAVP 0\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>;inline:<redacted>\r\n"
                + "a=ice-pwd:<redacted>\r\na=crypto:<redacted>\n");
    }

    @Test
    void leavesEverythingElseAlone() {
        String text = Fixtures.text("sipp-3.6-uac.sdp");

        assertThat(SdpRedaction.redact(text)).isEqualTo(text);
        assertThat(SdpRedaction.redact("")).isEmpty();
    }

    @Test
    void typedValuesNeverPrintTheKey() {
        Crypto c = Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^31").orElseThrow();

        assertThat(c.toString()).isEqualTo("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>");
        assertThat(c.keyParams().get(0).toString()).isEqualTo("inline:<redacted>");
        assertThat(c.toAttribute().toString()).doesNotContain(KEY);
        assertThat(Attribute.of("ice-pwd", "secretsecret").toString()).isEqualTo("a=ice-pwd:<redacted>");
        assertThat(Crypto.inline(1, CryptoSuite.AEAD_AES_128_GCM, new byte[28]).toString())
                .doesNotContain("AAAA");
        assertThat(Fixtures.parsed("baresip-1.0-srtp-mand.sdp").toString()).doesNotContain(KEY)
                .contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>");
        assertThat(Fixtures.parsed("baresip-1.0-srtp-mand.sdp").toSdp()).contains(KEY);
    }
}
