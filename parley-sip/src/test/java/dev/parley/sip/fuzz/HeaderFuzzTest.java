package dev.parley.sip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.text.SipSyntaxException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Any header value for any typed header: parsing throws nothing but SipSyntaxException, and what it accepts is
 * written ({@code toString()}) in a form that parses back to an equal value and is written the same again.
 *
 * <p>Input layout: the value as text, then one last byte choosing the header type ({@code byte % TYPES.size()},
 * how {@link FuzzedDataProvider#pickValue} reads it). Regression inputs:
 * {@code src/test/resources/dev/parley/sip/fuzz/HeaderFuzzTestInputs/parse/}.
 */
class HeaderFuzzTest {

    /** Append new types at the end: the regression inputs select a type by its index here. */
    static final List<HeaderType<?>> TYPES = List.of(HeaderType.VIA, HeaderType.FROM, HeaderType.TO,
            HeaderType.CONTACT, HeaderType.CALL_ID, HeaderType.CSEQ, HeaderType.MAX_FORWARDS, HeaderType.ROUTE,
            HeaderType.RECORD_ROUTE, HeaderType.PATH, HeaderType.CONTENT_TYPE, HeaderType.CONTENT_LENGTH,
            HeaderType.EXPIRES, HeaderType.MIN_EXPIRES, HeaderType.AUTHORIZATION, HeaderType.PROXY_AUTHORIZATION,
            HeaderType.WWW_AUTHENTICATE, HeaderType.PROXY_AUTHENTICATE, HeaderType.REQUIRE,
            HeaderType.PROXY_REQUIRE, HeaderType.SUPPORTED, HeaderType.UNSUPPORTED, HeaderType.ALLOW,
            HeaderType.ALLOW_EVENTS, HeaderType.RSEQ, HeaderType.RACK, HeaderType.CALL_INFO, HeaderType.EVENT,
            HeaderType.SUBSCRIPTION_STATE, HeaderType.REFER_TO, HeaderType.REFERRED_BY, HeaderType.REPLACES,
            HeaderType.SESSION_EXPIRES, HeaderType.MIN_SE, HeaderType.REASON, HeaderType.RETRY_AFTER);

    @FuzzTest
    @DictionaryFile(resourcePath = "sip.dict")
    void parse(FuzzedDataProvider data) {
        HeaderType<?> type = data.pickValue(TYPES);
        String value = data.consumeRemainingAsString();
        roundTrip(type, value);
    }

    private static <T> void roundTrip(HeaderType<T> type, String value) {
        if (type.isList()) {
            List<T> parsed;
            try {
                parsed = type.parseList(value);
            } catch (SipSyntaxException expected) {
                return;
            }
            String written = join(parsed);
            List<T> again = reparse(type, value, written, () -> type.parseList(written));
            assertEquals(parsed, again, () -> type + ": " + value + " -> " + written);
            assertEquals(written, join(again), () -> type + ": " + value + " -> " + written);
        } else {
            T parsed;
            try {
                parsed = type.parseSingle(value);
            } catch (SipSyntaxException expected) {
                return;
            }
            String written = parsed.toString();
            T again = reparse(type, value, written, () -> type.parseSingle(written));
            assertEquals(parsed, again, () -> type + ": " + value + " -> " + written);
            assertEquals(written, again.toString(), () -> type + ": " + value + " -> " + written);
        }
    }

    private static <R> R reparse(HeaderType<?> type, String value, String written,
            java.util.function.Supplier<R> parse) {
        try {
            return parse.get();
        } catch (SipSyntaxException e) {
            throw new AssertionError(type + ": canonical form of " + value + " does not parse: " + written, e);
        }
    }

    private static String join(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(sb.isEmpty() ? "" : ", ").append(v);
        }
        return sb.toString();
    }

    @Test
    void fuzzesEveryHeaderType() throws IllegalAccessException {
        List<Object> declared = new ArrayList<>();
        for (Field f : HeaderType.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == HeaderType.class) {
                declared.add(f.get(null));
            }
        }
        assertThat(TYPES).containsExactlyInAnyOrderElementsOf(declared.stream().map(o -> (HeaderType<?>) o)
                .toList());
    }
}
