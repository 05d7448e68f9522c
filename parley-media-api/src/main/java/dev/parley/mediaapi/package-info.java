/**
 * The contract between the control plane (the PBX) and the media plane: enumerated commands addressed by
 * {@link dev.parley.mediaapi.EndpointId} and the events that come back. Immutable records and interfaces only;
 * depends on the JDK and {@code parley-common}, never on Netty or a media implementation.
 *
 * <p>Threading: every {@link dev.parley.mediaapi.MediaService} method may be called from any thread and never
 * blocks; work that needs the media plane's event loop completes a {@link java.util.concurrent.CompletionStage}.
 * Events are delivered on media threads: a listener that touches call state posts them to its own lane.
 */
package dev.parley.mediaapi;
