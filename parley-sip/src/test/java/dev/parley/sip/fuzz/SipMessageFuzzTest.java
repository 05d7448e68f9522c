package dev.parley.sip.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any datagram: the parser never throws and never needs its catch-all; what it accepts reads through every typed
 * accessor and survives parse → serialize → parse byte for byte; what it rejects gets an error response that is
 * itself a response.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/sip/fuzz/SipMessageFuzzTestInputs/parseDatagram/}.
 */
class SipMessageFuzzTest {

    @FuzzTest
    @DictionaryFile(resourcePath = "sip.dict")
    void parseDatagram(byte[] data) {
        MessageChecks.check(MessageChecks.PARSER.parseDatagram(data, 0, data.length));
    }
}
