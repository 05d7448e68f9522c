package dev.parley.pbx.cdr;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a page of call history stopped: the last call's start and id. The next page holds the calls strictly
 * before it in the order (started at, id) descending, a keyset rather than an offset, so calls saved meanwhile
 * neither repeat nor skip a row on the following pages.
 *
 * <p>On the wire it is opaque: base64url of {@code <epoch millis>:<id>}. {@link #parse} accepts only what
 * {@link #token} writes (at most 200 characters, a number, an id of at most 64 printable characters).
 */
public record HistoryCursor(Instant startedAt, String id) {
    private static final int MAX_TOKEN = 200;
    private static final int MAX_ID = 64;

    public HistoryCursor {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(id, "id");
    }

    public static HistoryCursor after(CallRecord last) {
        return new HistoryCursor(last.startedAt(), last.id());
    }

    public String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (startedAt.toEpochMilli() + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor {@code token} encodes, or empty when it is not one {@link #token} could have written. */
    public static Optional<HistoryCursor> parse(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.length() - colon - 1 > MAX_ID) {
            return Optional.empty();
        }
        String id = text.substring(colon + 1);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new HistoryCursor(Instant.ofEpochMilli(Long.parseLong(text, 0, colon, 10)), id));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code record} comes after this cursor in the history's order (started, id) descending. */
    public boolean precedes(CallRecord record) {
        int byTime = record.startedAt().compareTo(startedAt);
        return byTime < 0 || (byTime == 0 && record.id().compareTo(id) < 0);
    }
}
