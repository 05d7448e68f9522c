/**
 * JMH benchmarks that run Parley side by side with the peer it is compared against, on the same bytes, machine and
 * JVM; results are reported as ratios in {@code docs/benchmarks.md}. Depends on the Parley modules under test, JMH
 * and the peers (JAIN-SIP RI); nothing in Parley depends on it, and CI runs only its sanity tests, never a timing.
 */
package dev.parley.bench;
