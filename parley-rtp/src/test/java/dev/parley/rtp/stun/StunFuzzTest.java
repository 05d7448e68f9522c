package dev.parley.rtp.stun;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.common.VirtualScheduler;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.ice.IceCheckOutcome;
import dev.parley.rtp.ice.IceCredentials;
import dev.parley.rtp.ice.IceDemuxTable;
import dev.parley.rtp.ice.IceLiteAgent;
import dev.parley.rtp.ice.IceLiteSettings;

/**
 * Any datagram on a media port: the STUN view, the ICE-lite agent and the demux table return values and never
 * throw; whatever the view accepts can be read completely, and whatever the agent answers carries integrity that
 * verifies. An exception is a finding.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/rtp/stun/StunFuzzTestInputs/<method>/}, each file one
 * datagram as raw bytes: RFC 5769's four samples, and checks signed with {@link #PASSWORD} for ufrag {@code "Fuzz"}
 * (so the agent's success path is reached).
 */
class StunFuzzTest {
    static final String PASSWORD = "FuzzPasswordFuzzPassword";
    private static final IceCredentials LOCAL = new IceCredentials("Fuzz", PASSWORD);
    private static final TransportAddress SOURCE = TransportAddress.ipv4(192, 0, 2, 1, 50_000);
    private static final IceLiteAgent.Listener QUIET = new IceLiteAgent.Listener() {
        @Override
        public void onPairSelected(TransportAddress remote) {
        }

        @Override
        public void onConsentExpired(TransportAddress remote) {
        }
    };

    @FuzzTest
    void stunMessage(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        StunMessage m = new StunMessage();
        if (m.wrap(bytes, 0, bytes.length) == StunStatus.OK) {
            StunMessageTest.readEverything(m, StunKey.shortTerm(Vectors.PASSWORD));
            if (m.length() != bytes.length) {
                throw new AssertionError("accepted " + m.length() + " of " + bytes.length + " octets");
            }
        }
    }

    @FuzzTest
    void iceAgent(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        IceLiteAgent agent = new IceLiteAgent(LOCAL, IceLiteSettings.defaults(), new VirtualScheduler(), QUIET);
        PacketBuffer response = new PacketBuffer(1500);
        IceCheckOutcome outcome = agent.receive(bytes, 0, bytes.length, SOURCE, response);
        if (outcome.hasResponse()) {
            StunMessage answer = new StunMessage();
            if (answer.wrap(response.array(), response.offset(), response.length()) != StunStatus.OK) {
                throw new AssertionError("the agent wrote a malformed answer for " + outcome);
            }
            boolean signed = answer.hasMessageIntegrity() || answer.hasMessageIntegritySha256();
            if (signed && !StunKey.shortTerm(PASSWORD).verify(answer).ok()) {
                throw new AssertionError("the agent's answer does not verify");
            }
            if (outcome == IceCheckOutcome.ANSWERED && !SOURCE.equals(answer.xorMappedAddress())) {
                throw new AssertionError("XOR-MAPPED-ADDRESS is not the source");
            }
        }
    }

    @FuzzTest
    void demux(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        IceDemuxTable<TransportAddress, String> table = new IceDemuxTable<>();
        table.register("Fuzz", "fuzz");
        table.select("fuzz", SOURCE);
        table.route(bytes, 0, bytes.length, SOURCE);
    }
}
