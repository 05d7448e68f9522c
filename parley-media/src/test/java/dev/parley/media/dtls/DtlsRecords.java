package dev.parley.media.dtls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Test-side reader of DTLS record headers and the first ClientHello (RFC 6347 §4.1, §4.2.2), to record what a real
 * client sent: how many datagrams and records, the record versions, and the versions and key shares it offered.
 */
final class DtlsRecords {
    private DtlsRecords() {
    }

    /** One DTLS handshake fragment seen on the wire. */
    record Fragment(int recordVersion, int handshakeType, int messageSeq, int length, int fragmentOffset,
            byte[] fragment) {
    }

    /** Reads every record of a datagram; handshake records give their fragment, others are skipped. */
    static List<Fragment> handshakeFragments(byte[] datagram, int length, int[] recordCount) {
        List<Fragment> fragments = new ArrayList<>();
        int at = 0;
        while (at + 13 <= length) {
            int type = datagram[at] & 0xFF;
            int version = u16(datagram, at + 1);
            int recordLength = u16(datagram, at + 11);
            int body = at + 13;
            if (body + recordLength > length) {
                break;
            }
            recordCount[0]++;
            int epoch = u16(datagram, at + 3);
            if (type == 22 && epoch == 0 && recordLength >= 12) {
                int msgType = datagram[body] & 0xFF;
                int msgLength = u24(datagram, body + 1);
                int messageSeq = u16(datagram, body + 4);
                int offset = u24(datagram, body + 6);
                int fragmentLength = u24(datagram, body + 9);
                byte[] fragment = java.util.Arrays.copyOfRange(datagram, body + 12,
                        Math.min(body + 12 + fragmentLength, body + recordLength));
                fragments.add(new Fragment(version, msgType, messageSeq, msgLength, offset, fragment));
            }
            at = body + recordLength;
        }
        return fragments;
    }

    /** Puts the fragments of one handshake message back together (null while incomplete). */
    static byte[] reassemble(List<Fragment> fragments, int handshakeType, int messageSeq) {
        TreeMap<Integer, byte[]> parts = new TreeMap<>();
        int total = -1;
        for (Fragment f : fragments) {
            if (f.handshakeType() == handshakeType && f.messageSeq() == messageSeq) {
                parts.put(f.fragmentOffset(), f.fragment());
                total = f.length();
            }
        }
        if (total < 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int next = 0;
        for (var part : parts.entrySet()) {
            if (part.getKey() > next) {
                return null;
            }
            int skip = next - part.getKey();
            if (skip < part.getValue().length) {
                out.write(part.getValue(), skip, part.getValue().length - skip);
                next += part.getValue().length - skip;
            }
        }
        return next == total ? out.toByteArray() : null;
    }

    /** What a ClientHello body offers: supported_versions (43) and key_share groups (51). */
    record Offer(List<Integer> supportedVersions, List<Integer> keyShareGroups, List<Integer> srtpProfiles) {
    }

    static Offer readClientHello(byte[] body) {
        int at = 2 + 32; // client_version, random
        at += 1 + (body[at] & 0xFF); // session_id
        at += 1 + (body[at] & 0xFF); // cookie (DTLS)
        at += 2 + u16(body, at); // cipher_suites
        at += 1 + (body[at] & 0xFF); // compression_methods
        List<Integer> versions = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<Integer> srtp = new ArrayList<>();
        if (at + 2 > body.length) {
            return new Offer(versions, groups, srtp);
        }
        int end = at + 2 + u16(body, at);
        at += 2;
        while (at + 4 <= end) {
            int type = u16(body, at);
            int length = u16(body, at + 2);
            int value = at + 4;
            if (type == 43) {
                int n = body[value] & 0xFF;
                for (int i = 0; i < n; i += 2) {
                    versions.add(u16(body, value + 1 + i));
                }
            } else if (type == 51) {
                int listEnd = value + 2 + u16(body, value);
                int p = value + 2;
                while (p + 4 <= listEnd) {
                    groups.add(u16(body, p));
                    p += 4 + u16(body, p + 2);
                }
            } else if (type == 14) {
                int n = u16(body, value);
                for (int i = 0; i < n; i += 2) {
                    srtp.add(u16(body, value + 2 + i));
                }
            }
            at = value + length;
        }
        return new Offer(versions, groups, srtp);
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int u24(byte[] b, int at) {
        return ((b[at] & 0xFF) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
    }
}
