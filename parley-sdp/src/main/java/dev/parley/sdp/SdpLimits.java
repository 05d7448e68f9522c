package dev.parley.sdp;

/**
 * The resource limits {@link SdpParser} enforces, so that a hostile body cannot make Parley hold or scan unbounded
 * input: the input is refused before it is split when too large, and the parser stops at the first line over a
 * limit.
 *
 * <table>
 *   <caption>Limits and what exceeding them means</caption>
 *   <tr><th>limit</th><th>default</th><th>when exceeded</th></tr>
 *   <tr><td>{@code maxBytes}: the whole body</td><td>65 535</td><td>error at line 0, nothing parsed</td></tr>
 *   <tr><td>{@code maxLines}: lines, empty ones included</td><td>2 048</td><td>error at the first line over</td></tr>
 *   <tr><td>{@code maxLineLength}: characters of one line</td><td>4 096</td><td>error at that line</td></tr>
 *   <tr><td>{@code maxMediaSections}: {@code m=} lines</td><td>64</td><td>error at the first {@code m=} over</td></tr>
 * </table>
 *
 * <p>The defaults hold every SDP a phone or a browser sends: a Chrome offer with audio, video (about 30 video
 * formats with RTX, rtcp-fb and fmtp lines each), a data channel and ICE candidates is 6–10 kB with about 150
 * lines of at most ~300 characters; SIP itself caps a body at 60 000 bytes ({@code SipLimits}).
 */
public record SdpLimits(int maxBytes, int maxLines, int maxLineLength, int maxMediaSections) {

    public static final SdpLimits DEFAULT = new SdpLimits(65_535, 2_048, 4_096, 64);

    public SdpLimits {
        if (maxBytes <= 0 || maxLines <= 0 || maxLineLength <= 0 || maxMediaSections < 0) {
            throw new IllegalArgumentException("SDP limits must be positive");
        }
    }
}
