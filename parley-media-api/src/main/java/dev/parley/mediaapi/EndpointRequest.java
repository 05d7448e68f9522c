package dev.parley.mediaapi;

import java.util.Objects;

/**
 * What the PBX asks for when it opens an endpoint.
 *
 * @param label who the endpoint serves, for logs and statistics only (for example {@code "<call-id>/caller"});
 *              never key material
 * @param near  an affinity hint, or {@code null}: open on the same media thread as {@code near} when it is still
 *              open, so a later bridge needs no move
 */
public record EndpointRequest(String label, EndpointId near) {
    public EndpointRequest {
        Objects.requireNonNull(label, "label");
    }

    /** An endpoint with no affinity: it opens on whichever media thread is next. */
    public EndpointRequest(String label) {
        this(label, null);
    }
}
