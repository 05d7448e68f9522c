package dev.parley.sip.codec;

/**
 * The resource limits the parser and framer enforce, so that no peer can make Parley hold or scan unbounded input.
 *
 * <table>
 *   <caption>Limits and what exceeding them means</caption>
 *   <tr><th>limit</th><th>default</th><th>when exceeded</th></tr>
 *   <tr><td>{@code maxMessageBytes}: start line, headers and body together</td><td>65 535</td>
 *       <td>{@code 513 Message Too Large}; a stream is closed after the answer</td></tr>
 *   <tr><td>{@code maxHeaderSectionBytes}: start line and headers up to the empty line</td><td>16 384</td>
 *       <td>{@code 513}; the framer stops reading that stream</td></tr>
 *   <tr><td>{@code maxLineBytes}: one start line or one header line before unfolding</td><td>8 192</td>
 *       <td>{@code 513}</td></tr>
 *   <tr><td>{@code maxHeaderCount}: header field lines</td><td>128</td><td>{@code 513}</td></tr>
 *   <tr><td>{@code maxBodyBytes}: Content-Length</td><td>60 000</td><td>{@code 513}</td></tr>
 * </table>
 *
 * <p>The defaults hold every message in RFC 4475 (the longest, {@code longreq}, is 3.5 kB with 594-octet lines) and
 * any SDP a phone or a browser sends, while a UDP datagram cannot exceed 65 535 octets anyway.
 */
public record SipLimits(int maxMessageBytes, int maxHeaderSectionBytes, int maxLineBytes, int maxHeaderCount,
        int maxBodyBytes) {

    public static final SipLimits DEFAULT = new SipLimits(65_535, 16_384, 8_192, 128, 60_000);

    public SipLimits {
        if (maxMessageBytes <= 0 || maxHeaderSectionBytes <= 0 || maxLineBytes <= 0 || maxHeaderCount <= 0
                || maxBodyBytes < 0) {
            throw new IllegalArgumentException("SIP limits must be positive: " + maxMessageBytes + ", "
                    + maxHeaderSectionBytes + ", " + maxLineBytes + ", " + maxHeaderCount + ", " + maxBodyBytes);
        }
    }
}
