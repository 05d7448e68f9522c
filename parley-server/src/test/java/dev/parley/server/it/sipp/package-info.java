/**
 * Integration tests of the running server with sipp (Debian's {@code sip-tester} 3.6.1) as the phones: a small
 * process runner ({@link dev.parley.server.it.sipp.Sipp}) and the call scenarios of {@code src/test/resources/sipp}.
 * Uses {@link dev.parley.server.it.ParleyUnderTest} and reads Parley's own database for bindings and CDRs.
 */
package dev.parley.server.it.sipp;
