package dev.parley.rtp.ice;

import dev.parley.rtp.stun.StunAttribute;
import dev.parley.rtp.stun.StunClass;
import dev.parley.rtp.stun.StunKey;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunWriter;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Builds the connectivity checks a browser (a full, controlling ICE agent) sends: RFC 8445 §7.2.2. */
final class Checks {
    private final SplittableRandom random = new SplittableRandom(8445);
    private String username;
    private StunKey key;
    private long priority = 0x6e0001ffL;
    private boolean useCandidate;
    private boolean controlled;
    private boolean sha256;
    private int extraType = -1;
    private boolean integrity = true;
    private boolean fingerprint = true;

    Checks(String localUfrag, String remoteUfrag, String localPassword) {
        this.username = localUfrag + ":" + remoteUfrag;
        this.key = StunKey.shortTerm(localPassword);
    }

    Checks username(String value) {
        this.username = value;
        return this;
    }

    Checks password(String password) {
        this.key = StunKey.shortTerm(password);
        return this;
    }

    Checks priority(long value) {
        this.priority = value;
        return this;
    }

    Checks useCandidate(boolean value) {
        this.useCandidate = value;
        return this;
    }

    /** The peer claims the controlled role too (a role conflict for a lite agent). */
    Checks controlled(boolean value) {
        this.controlled = value;
        return this;
    }

    Checks sha256(boolean value) {
        this.sha256 = value;
        return this;
    }

    Checks extraAttribute(int type) {
        this.extraType = type;
        return this;
    }

    Checks integrity(boolean value) {
        this.integrity = value;
        return this;
    }

    Checks fingerprint(boolean value) {
        this.fingerprint = value;
        return this;
    }

    /** A new check with a fresh random transaction id. */
    byte[] build() {
        byte[] tx = new byte[12];
        random.nextBytes(tx);
        byte[] out = new byte[300];
        StunWriter w = new StunWriter().begin(out, 0, out.length, StunClass.REQUEST.type(StunMessage.BINDING), tx, 0);
        if (username != null) {
            w.text(StunAttribute.USERNAME, username);
        }
        w.priority(priority);
        if (controlled) {
            w.iceControlled(random.nextLong());
        } else {
            w.iceControlling(random.nextLong());
        }
        if (useCandidate) {
            w.useCandidate();
        }
        if (extraType >= 0) {
            w.attribute(extraType, new byte[4], 0, 4);
        }
        if (integrity) {
            if (sha256) {
                w.messageIntegritySha256(key);
            } else {
                w.messageIntegrity(key);
            }
        }
        if (fingerprint) {
            w.fingerprint();
        }
        return Arrays.copyOf(out, w.finish());
    }
}
