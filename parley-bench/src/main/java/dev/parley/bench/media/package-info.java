/**
 * The media relay load benchmark of issue 4: a load generator that runs N concurrent 20 ms G.711 calls through a
 * relay under test (Parley's media plane in its own JVM, or rtpengine's userspace relay driven over its ng control
 * protocol), counts loss per stream and measures one-way latency from a send timestamp in every payload, and the
 * relay's CPU time from {@code /proc}. Run by {@code parley-bench/scripts/media-load.sh}; results go to
 * {@code docs/benchmarks.md}. Depends on Netty (epoll), jitsi-srtp (the generator's own SRTP, independent of the
 * code under test) and, for {@link dev.parley.bench.media.ParleyRelayMain}, parley-media. Not part of CI's
 * pass/fail: only its sanity tests run there, never a timing.
 */
package dev.parley.bench.media;
