package dev.parley.bench.media;

/**
 * No relay: each side sends straight to the other. The generator's own floor — what its pacing, sockets and
 * loopback add to the latency a relay's figures include — measured at the same load.
 */
final class DirectRelay implements Relay {
    @Override
    public String name() {
        return "direct";
    }

    @Override
    public RelayedCall setUp(int index, Side a, Side b, boolean srtp) {
        return new RelayedCall(index, b.address(), a.address(), b.key(), a.key(), null);
    }

    @Override
    public void tearDown(RelayedCall call) {
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void close() {
    }
}
