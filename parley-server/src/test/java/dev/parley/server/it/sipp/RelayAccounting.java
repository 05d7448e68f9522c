package dev.parley.server.it.sipp;

import dev.parley.server.it.LoopbackCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Packet-for-packet accounting of what a relay did with numbered RTP ({@link MediaSippIT#writePcmuPcap(
 * java.nio.file.Path, int, boolean)}: the first two payload octets carry the packet's index), read from one loopback
 * capture of the signalling and the media in the order both crossed the wire.
 *
 * <p>For each caller leg (the port Parley's 200 OK to the caller announced) it knows which packets reached that
 * port while the call was up, i.e. before the caller's BYE crossed the loopback, and which reached it after (sent
 * after the caller hung up: no relay can forward those, Parley has closed the leg). For each relayed stream (from a
 * port of Parley's to the callee) it knows which indexes left Parley. A relayed stream belongs to the caller leg
 * whose first packet it follows most closely (calls start tens of milliseconds apart; the relay forwards within
 * microseconds). What the relay lost is what reached the caller leg while the call was up and never left towards
 * the callee, packet by packet; where in the stream each loss sits tells setup from steady state.
 */
final class RelayAccounting {
    private static final Pattern CALL_ID = Pattern.compile("(?mi)^(?:Call-ID|i)\\s*:\\s*(\\S+)");
    private static final Pattern AUDIO = Pattern.compile("(?m)^m=audio (\\d+) ");

    /** One caller leg: the indexes that reached Parley during the call and after its BYE. */
    private static final class Leg {
        final int port;
        final BitSet during = new BitSet();
        final BitSet afterBye = new BitSet();
        int firstPosition = -1;
        BitSet relayed;

        Leg(int port) {
            this.port = port;
        }
    }

    /** What the capture shows, summed over the calls. */
    record Result(int legs, int relayedStreams, long arrivedDuringCall, long arrivedAfterBye, long relayed,
            long lostAtSetup, long lostMidStream, long lostAtEnd, List<String> lossyLegs) {
        long lost() {
            return lostAtSetup + lostMidStream + lostAtEnd;
        }

        @Override
        public String toString() {
            return String.format("%d caller legs, %d relayed streams: %d packets reached Parley while their call was"
                    + " up, %d after the caller's BYE (not relayable); %d relayed; lost by the relay: %d (%d before a"
                    + " stream's first relayed packet, %d between, %d after its last)%s", legs, relayedStreams,
                    arrivedDuringCall, arrivedAfterBye, relayed, lost(), lostAtSetup, lostMidStream, lostAtEnd,
                    lossyLegs.isEmpty() ? "" : "; " + String.join(", ", lossyLegs));
        }
    }

    private RelayAccounting() {
    }

    /**
     * Accounts the numbered RTP that callers sent to Parley's ports {@code [min, max]} and that Parley relayed to
     * {@code calleeMediaPort}; {@code sipPort} is Parley's SIP port (its 200 OK names each caller leg's port, the
     * caller's BYE ends the leg).
     */
    static Result of(List<LoopbackCapture.Datagram> datagrams, int sipPort, int min, int max, int calleeMediaPort) {
        Map<String, Integer> legPortByCallId = new HashMap<>();
        Map<Integer, Leg> legs = new LinkedHashMap<>();
        Map<Integer, Boolean> ended = new HashMap<>();
        Map<Integer, BitSet> relayed = new LinkedHashMap<>();
        Map<Integer, Integer> relayedFirst = new HashMap<>();
        int position = 0;
        for (LoopbackCapture.Datagram d : datagrams) {
            position++;
            byte[] p = d.payload();
            if (d.sourcePort() == sipPort || d.destinationPort() == sipPort) {
                String text = new String(p, StandardCharsets.ISO_8859_1);
                Matcher id = CALL_ID.matcher(text);
                if (!id.find()) {
                    continue;
                }
                if (d.sourcePort() == sipPort && text.startsWith("SIP/2.0 200") && text.contains(" INVITE\r\n")) {
                    Matcher audio = AUDIO.matcher(text);
                    if (audio.find()) {
                        int port = Integer.parseInt(audio.group(1));
                        if (port >= min && port <= max) {
                            legPortByCallId.put(id.group(1), port);
                        }
                    }
                } else if (d.destinationPort() == sipPort && text.startsWith("BYE ")) {
                    Integer port = legPortByCallId.get(id.group(1));
                    if (port != null) {
                        ended.put(port, true);
                    }
                }
                continue;
            }
            int index = index(p);
            if (index < 0) {
                continue;
            }
            boolean intoParley = d.destinationPort() >= min && d.destinationPort() <= max;
            boolean fromParley = d.sourcePort() >= min && d.sourcePort() <= max;
            if (intoParley && d.sourcePort() != calleeMediaPort && legPortByCallId.containsValue(d.destinationPort())) {
                Leg leg = legs.computeIfAbsent(d.destinationPort(), Leg::new);
                if (leg.firstPosition < 0) {
                    leg.firstPosition = position;
                }
                (ended.containsKey(leg.port) ? leg.afterBye : leg.during).set(index);
            } else if (fromParley && d.destinationPort() == calleeMediaPort) {
                relayed.computeIfAbsent(d.sourcePort(), k -> new BitSet()).set(index);
                relayedFirst.putIfAbsent(d.sourcePort(), position);
            }
        }
        // each relayed stream to the caller leg whose first packet most closely precedes its own
        List<Leg> byStart = new ArrayList<>(legs.values());
        byStart.sort((a, b) -> Integer.compare(a.firstPosition, b.firstPosition));
        for (Map.Entry<Integer, BitSet> r : relayed.entrySet()) {
            int first = relayedFirst.get(r.getKey());
            Leg best = null;
            for (Leg leg : byStart) {
                if (leg.firstPosition < first && leg.relayed == null) {
                    best = leg;
                }
            }
            if (best != null) {
                best.relayed = r.getValue();
            }
        }
        long during = 0;
        long after = 0;
        long out = 0;
        long setup = 0;
        long middle = 0;
        long end = 0;
        List<String> lossy = new ArrayList<>();
        for (Leg leg : legs.values()) {
            BitSet sent = leg.relayed == null ? new BitSet() : leg.relayed;
            during += leg.during.cardinality();
            after += leg.afterBye.cardinality();
            out += sent.cardinality();
            BitSet lost = (BitSet) leg.during.clone();
            lost.andNot(sent);
            if (lost.isEmpty()) {
                continue;
            }
            int firstSent = sent.isEmpty() ? Integer.MAX_VALUE : sent.nextSetBit(0);
            int lastSent = sent.length() - 1;
            long s = lost.get(0, Math.min(firstSent, lost.length())).cardinality();
            long e = lastSent < 0 ? 0 : lost.get(lastSent + 1, Math.max(lastSent + 1, lost.length())).cardinality();
            setup += s;
            end += e;
            middle += lost.cardinality() - s - e;
            lossy.add(leg.port + " lost " + lost);
        }
        return new Result(legs.size(), relayed.size(), during, after, out, setup, middle, end, lossy);
    }

    /** The packet index in a numbered PCMU packet, or -1 for anything else (RTCP, other payload types). */
    private static int index(byte[] p) {
        if (p.length < 14 || (p[0] & 0xc0) != 0x80 || (p[1] & 0x7f) != 0) {
            return -1;
        }
        int header = 12 + 4 * (p[0] & 0x0f);
        if ((p[0] & 0x10) != 0) {
            return -1; // no extension in what sipp plays or Parley relays
        }
        return p.length < header + 2 ? -1 : ((p[header] & 0xff) << 8) | (p[header + 1] & 0xff);
    }
}
