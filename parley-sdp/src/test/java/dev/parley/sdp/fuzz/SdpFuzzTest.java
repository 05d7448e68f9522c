package dev.parley.sdp.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any body: the parser never throws and never needs its catch-all; what it accepts survives parse → serialize →
 * parse unchanged and reads through every accessor and through offer/answer ({@link SdpChecks}).
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/sdp/fuzz/SdpFuzzTestInputs/parse/}.
 */
class SdpFuzzTest {

    @FuzzTest
    @DictionaryFile(resourcePath = "sdp.dict")
    void parse(byte[] data) {
        SdpChecks.check(data);
    }
}
