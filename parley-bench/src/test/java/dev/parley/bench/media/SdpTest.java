package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SdpTest {

    @Test
    void offerCarriesTheAddressAndTheKeyItWasGiven() {
        SdesKey key = SdesKey.random();
        String sdp = Sdp.audio(1, new InetSocketAddress("127.0.0.1", 40002), key, 1);
        assertThat(sdp).contains("m=audio 40002 RTP/SAVP 0\r\n").contains("c=IN IP4 127.0.0.1\r\n");
        assertThat(Sdp.mediaAddress(sdp)).isEqualTo(new InetSocketAddress("127.0.0.1", 40002));
        assertThat(Sdp.cryptos(sdp)).singleElement().satisfies(c -> {
            assertThat(c.tag()).isEqualTo(1);
            assertThat(c.key().key()).isEqualTo(key.key());
            assertThat(c.key().salt()).isEqualTo(key.salt());
        });
    }

    @Test
    void readsRtpenginesAnswerWithSeveralSuitesAndALifetime() {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 36012 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=crypto:1 AEAD_AES_256_GCM inline:8F8WChe5ZmWVc+0iKDk1mgwT/tqUX7fU7V2dJ6vj4JyHptonIrc8F6E0S4M=\r\n"
                + "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^31\r\n"
                + "a=rtcp:36013\r\n";
        assertThat(Sdp.mediaAddress(sdp).getPort()).isEqualTo(36012);
        assertThat(Sdp.cryptos(sdp)).singleElement().satisfies(c -> assertThat(c.tag()).isEqualTo(2));
    }

    @Test
    void keysNeverPrint() {
        SdesKey key = SdesKey.random();
        assertThat(key.toString()).doesNotContain(key.inline()).isEqualTo("SdesKey[AES_CM_128_HMAC_SHA1_80]");
    }
}
