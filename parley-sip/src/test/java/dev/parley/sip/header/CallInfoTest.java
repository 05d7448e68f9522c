package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Call-Info (RFC 3261 §20.9). */
class CallInfoTest {

    @Test
    void rfc3261_20_9_example() {
        // Call-Info: <http://wwww.example.com/alice/photo.jpg> ;purpose=icon,
        //   <http://www.example.com/alice/> ;purpose=info
        List<CallInfo> list = HeaderType.CALL_INFO.parseList(
                "<http://wwww.example.com/alice/photo.jpg> ;purpose=icon, <http://www.example.com/alice/> ;purpose=info");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).uri()).hasToString("http://wwww.example.com/alice/photo.jpg");
        assertThat(list.get(0).purpose()).isEqualTo("icon");
        assertThat(list.get(1).uri()).hasToString("http://www.example.com/alice/");
        assertThat(list.get(1).purpose()).isEqualTo("info");
        assertThat(list.get(0)).hasToString("<http://wwww.example.com/alice/photo.jpg>;purpose=icon");
        for (CallInfo ci : list) {
            assertThat(HeaderType.CALL_INFO.parseList(ci.toString())).containsExactly(ci);
        }
    }

    @Test
    void rfc3261_20_9_sipUriWithParameters() {
        CallInfo ci = HeaderType.CALL_INFO.parseList("<sip:alice@example.com;transport=tcp>;purpose=card;x=1").get(0);
        assertThat(ci.uri().scheme()).isEqualTo("sip");
        assertThat(ci.purpose()).isEqualTo("card");
        assertThat(ci.parameters().value("x")).isEqualTo("1");
    }

    @Test
    void malformedCallInfoIsASyntaxError() {
        assertThatThrownBy(() -> HeaderType.CALL_INFO.parseList("http://x/")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.CALL_INFO.parseList("<http://x/")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.CALL_INFO.parseList("<http://x/>;purpose=icon junk"))
                .isInstanceOf(SipSyntaxException.class);
    }
}
