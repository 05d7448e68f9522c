package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.CryptoSuite;
import java.util.Arrays;
import java.util.Objects;

/**
 * The SDES keys of one negotiated stream (RFC 4568): the suite and tag both sides agreed on, the key Parley sends
 * with (its own {@code a=crypto}) and the key the peer sends with (the peer's). Maps to two
 * {@code dev.parley.mediaapi.Protection.Sdes}: {@code send} from {@link #localMasterKey()}/{@link #localMasterSalt()},
 * {@code receive} from the remote ones.
 *
 * <p>{@link #toString()} never shows a key.
 */
public final class SdesKeys {
    private final CryptoSuite suite;
    private final int tag;
    private final byte[] localKeySalt;
    private final byte[] remoteKeySalt;

    public SdesKeys(CryptoSuite suite, int tag, byte[] localKeySalt, byte[] remoteKeySalt) {
        this.suite = Objects.requireNonNull(suite, "suite");
        if (localKeySalt.length != suite.keySaltLength() || remoteKeySalt.length != suite.keySaltLength()) {
            throw new IllegalArgumentException(suite + " needs " + suite.keySaltLength() + " bytes of key||salt");
        }
        this.tag = tag;
        this.localKeySalt = localKeySalt.clone();
        this.remoteKeySalt = remoteKeySalt.clone();
    }

    public CryptoSuite suite() {
        return suite;
    }

    public int tag() {
        return tag;
    }

    public byte[] localMasterKey() {
        return Arrays.copyOf(localKeySalt, suite.masterKeyLength());
    }

    public byte[] localMasterSalt() {
        return Arrays.copyOfRange(localKeySalt, suite.masterKeyLength(), localKeySalt.length);
    }

    public byte[] remoteMasterKey() {
        return Arrays.copyOf(remoteKeySalt, suite.masterKeyLength());
    }

    public byte[] remoteMasterSalt() {
        return Arrays.copyOfRange(remoteKeySalt, suite.masterKeyLength(), remoteKeySalt.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SdesKeys k && k.suite == suite && k.tag == tag
                && Arrays.equals(k.localKeySalt, localKeySalt) && Arrays.equals(k.remoteKeySalt, remoteKeySalt);
    }

    @Override
    public int hashCode() {
        return suite.hashCode() * 31 + tag;
    }

    /** Suite and tag only: the keys are secrets. */
    @Override
    public String toString() {
        return "SDES " + suite.sdesName() + " tag " + tag;
    }
}
