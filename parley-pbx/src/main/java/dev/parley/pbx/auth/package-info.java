/**
 * SIP Digest authentication policy (RFC 3261 §22, RFC 7616, RFC 8760): challenges, stateless time-limited nonces,
 * replay protection, and the rule that known and unknown users get the same answer. The arithmetic itself is
 * {@code dev.parley.sip.auth.Digest}; credentials come from the directory's {@code DeviceRepository} port.
 *
 * <p>Depends on {@code parley-sip}, {@code dev.parley.pbx.directory} and the JDK. Counting failures and banning is
 * the caller's business ({@code dev.parley.pbx.security.Bans}), told by
 * {@link dev.parley.pbx.auth.ChallengeReason#isFailure()}.
 */
package dev.parley.pbx.auth;
