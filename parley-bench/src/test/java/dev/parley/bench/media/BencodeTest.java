package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeTest {

    @Test
    void dictionaryKeysAreWrittenInSortedOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sdp", "v=0");
        m.put("command", "offer");
        m.put("flags", List.of("trust-address"));
        m.put("n", 42);
        assertThat(new String(Bencode.encode(m), StandardCharsets.US_ASCII))
                .isEqualTo("d7:command5:offer5:flagsl13:trust-addresse1:ni42e3:sdp3:v=0e");
    }

    @Test
    void decodesWhatItEncodes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "ok");
        m.put("list", List.of("a", 7L, List.of()));
        m.put("empty", "");
        byte[] bytes = Bencode.encode(m);
        assertThat(Bencode.decode(bytes, 0, bytes.length)).isEqualTo(m);
    }

    @Test
    void decodesAnNgAnswerAfterItsCookie() {
        byte[] reply = "5323_1 d6:result5:error12:error-reason15:Unknown call-ide".getBytes(StandardCharsets.US_ASCII);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) Bencode.decode(reply, 7, reply.length);
        assertThat(answer).containsEntry("result", "error").containsEntry("error-reason", "Unknown call-id");
    }

    @Test
    void rejectsTruncatedAndTrailingInput() {
        byte[] truncated = "d6:result2:o".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Bencode.decode(truncated, 0, truncated.length))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] trailing = "i1ei2e".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Bencode.decode(trailing, 0, trailing.length))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
