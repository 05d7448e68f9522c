package dev.parley.bench.media;

import java.security.GeneralSecurityException;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * The generator's SRTP for one stream (AES_CM_128_HMAC_SHA1_80, RFC 3711) on jitsi-srtp: independent of the relays
 * under test, so an error in Parley's SRTP shows as authentication failures here instead of cancelling out.
 * jitsi-srtp builds each packet's IV from the SSRC in that packet, not from the one its context was derived for,
 * so a receiver made before the first packet serves whatever SSRC a relay sends with (Parley picks its own).
 */
final class SrtpStream {
    private static final LoggerImpl LOGGER = new LoggerImpl(SrtpStream.class.getName());
    private final SrtpContextFactory factory;
    private final SrtpCryptoContext context;
    private final Buffer buffer = new Buffer();

    private SrtpStream(boolean sender, SdesKey key, int ssrc) {
        SrtpPolicy policy = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20,
                10, 14);
        factory = new SrtpContextFactory(sender, key.key(), key.salt(), policy, policy, LOGGER);
        try {
            context = factory.deriveContext(ssrc, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("jitsi-srtp could not derive a context", e);
        }
    }

    static SrtpStream sender(SdesKey key, int ssrc) {
        return new SrtpStream(true, key, ssrc);
    }

    static SrtpStream receiver(SdesKey key, int ssrc) {
        return new SrtpStream(false, key, ssrc);
    }

    /** Protects {@code packet[0, length)} in place (it must have room for the 10-byte tag); the new length. */
    int protect(byte[] packet, int length) {
        buffer.reset(packet, length);
        try {
            return context.transformPacket(buffer) == SrtpErrorStatus.OK ? buffer.length : -1;
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    /** Authenticates and decrypts in place; the plain length, or -1 when the packet is rejected. */
    int unprotect(byte[] packet, int length) {
        buffer.reset(packet, length);
        try {
            return context.reverseTransformPacket(buffer, false) == SrtpErrorStatus.OK ? buffer.length : -1;
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    /** jitsi's view of a byte array; the arrays here are sized for the tag, so it never needs to grow. */
    private static final class Buffer implements ByteArrayBuffer {
        private byte[] bytes;
        private int length;

        void reset(byte[] packet, int length) {
            this.bytes = packet;
            this.length = length;
        }

        @Override
        public byte[] getBuffer() {
            return bytes;
        }

        @Override
        public int getOffset() {
            return 0;
        }

        @Override
        public int getLength() {
            return length;
        }

        @Override
        public void setLength(int length) {
            this.length = length;
        }

        @Override
        public void setOffset(int offset) {
            if (offset != 0) {
                throw new UnsupportedOperationException("offset " + offset);
            }
        }

        @Override
        public boolean isInvalid() {
            return false;
        }

        @Override
        public void readRegionToBuff(int off, int len, byte[] out) {
            System.arraycopy(bytes, off, out, 0, len);
        }

        @Override
        public void grow(int howMuch) {
            if (length + howMuch > bytes.length) {
                byte[] bigger = new byte[length + howMuch];
                System.arraycopy(bytes, 0, bigger, 0, length);
                bytes = bigger;
            }
        }

        @Override
        public void append(byte[] data, int len) {
            grow(len);
            System.arraycopy(data, 0, bytes, length, len);
            length += len;
        }

        @Override
        public void shrink(int len) {
            length = Math.max(0, length - len);
        }
    }
}
