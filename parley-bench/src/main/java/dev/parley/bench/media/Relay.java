package dev.parley.bench.media;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A media relay under test, driven through its own control plane. A call has two sides, each a socket of the
 * load generator; the relay gives each side the address to send to and, with SRTP, the key it protects with
 * towards that side.
 */
interface Relay extends AutoCloseable {

    /** Short name for tables: {@code parley}, {@code rtpengine}, {@code direct}, {@code echo}. */
    String name();

    /**
     * Sets up one call relaying between {@code a} and {@code b}.
     *
     * @param srtp both sides speak SRTP with SDES (the generator's keys in {@code a.key()} and {@code b.key()});
     *             the relay re-keys: it decrypts with the sender's key and encrypts with its own per side
     */
    RelayedCall setUp(int index, Side a, Side b, boolean srtp) throws IOException;

    /** Tears the call down (ports back to the relay's pool). */
    void tearDown(RelayedCall call) throws IOException;

    /**
     * The relay's own counters over the calls torn down since the last call, as "received R sent S dropped D
     * srtp-fail F", or an empty string when the relay does not report them.
     */
    default String counters() throws IOException {
        return "";
    }

    /** The relay process, for its CPU time; -1 when it runs inside the generator (no CPU figure). */
    long pid();

    @Override
    void close() throws IOException;

    /** One generator socket and, with SRTP, the key the generator protects what it sends from it with. */
    record Side(InetSocketAddress address, SdesKey key) {
    }

    /**
     * @param aSendsTo  where side A sends (the relay's port for leg A)
     * @param bSendsTo  where side B sends
     * @param keyToA    the key the relay protects what it sends to A with ({@code null} for plain RTP)
     * @param keyToB    the key the relay protects what it sends to B with
     * @param handle    the relay's own reference to the call, for {@link #tearDown}
     */
    record RelayedCall(int index, InetSocketAddress aSendsTo, InetSocketAddress bSendsTo, SdesKey keyToA,
            SdesKey keyToB, Object handle) {
    }
}
