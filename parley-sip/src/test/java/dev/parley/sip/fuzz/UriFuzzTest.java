package dev.parley.sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sip.uri.Uri;

/**
 * Any string: the URI parser throws nothing but SipSyntaxException, and what it accepts is written in a form that
 * parses back to an equal URI (structurally, and by the scheme's comparison rules).
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/sip/fuzz/UriFuzzTestInputs/parse/}, one URI per
 * file as plain text (the data provider reads ASCII text unchanged).
 */
class UriFuzzTest {

    @FuzzTest
    @DictionaryFile(resourcePath = "sip.dict")
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Uri uri;
        try {
            uri = Uri.parse(text);
        } catch (SipSyntaxException expected) {
            return;
        }
        String written = uri.toString();
        Uri again;
        try {
            again = Uri.parse(written);
        } catch (SipSyntaxException e) {
            throw new AssertionError("canonical form of " + text + " does not parse: " + written, e);
        }
        assertEquals(uri, again, () -> text + " -> " + written);
        assertEquals(uri.hashCode(), again.hashCode(), () -> text + " -> " + written);
        assertEquals(written, again.toString(), () -> text + " -> " + written);
        assertTrue(uri.equivalentTo(again), () -> text + " not equivalent to its canonical form " + written);
        assertTrue(again.equivalentTo(uri), () -> written + " not equivalent to " + text);
        assertTrue(uri.equivalentTo(uri), () -> text + " not equivalent to itself");
    }
}
