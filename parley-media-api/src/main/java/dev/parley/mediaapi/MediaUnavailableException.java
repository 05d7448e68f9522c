package dev.parley.mediaapi;

/** The media plane cannot serve a request right now (port range exhausted, shutting down). */
public final class MediaUnavailableException extends RuntimeException {
    public MediaUnavailableException(String message) {
        super(message);
    }
}
