package dev.parley.pbx.contacts;

import java.util.Optional;

/**
 * The image types a contact picture may be, recognised by their first bytes (the "magic" of each format), so a
 * file is served as what it is rather than as what the uploader claimed: an HTML or SVG file sent as
 * {@code image/png} is refused, and what is served with {@code image/png} really starts like a PNG.
 *
 * <table>
 *   <caption>Signatures</caption>
 *   <tr><th>type</th><th>first bytes</th><th>source</th></tr>
 *   <tr><td>PNG</td><td>{@code 89 50 4E 47 0D 0A 1A 0A}</td><td>PNG spec §5.2</td></tr>
 *   <tr><td>JPEG</td><td>{@code FF D8 FF} (SOI, then a marker)</td><td>ITU T.81 Annex B</td></tr>
 *   <tr><td>WebP</td><td>{@code "RIFF"}, 4-byte size, {@code "WEBP"}</td><td>RFC 9649 §2</td></tr>
 * </table>
 */
public enum PictureType {
    PNG("image/png"),
    JPEG("image/jpeg"),
    WEBP("image/webp");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private final String mediaType;

    PictureType(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The {@code Content-Type} it is served with. */
    public String mediaType() {
        return mediaType;
    }

    /** The type {@code bytes} start like, if any of the three. */
    public static Optional<PictureType> detect(byte[] bytes) {
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, new byte[] {'R', 'I', 'F', 'F'}) && startsWith(bytes, 8, new byte[] {'W', 'E', 'B',
                'P'})) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /** The type stored under {@code mediaType} (what {@link #mediaType()} gave). */
    public static Optional<PictureType> ofMediaType(String mediaType) {
        for (PictureType t : values()) {
            if (t.mediaType.equals(mediaType)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (bytes.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
