/**
 * Security mechanisms that are not SIP-specific: encryption of secrets at rest ({@link
 * dev.parley.pbx.security.SecretCipher}, {@link dev.parley.pbx.security.AesGcmSecretCipher}), counting of failures
 * and banning of their sources ({@link dev.parley.pbx.security.Bans}), and the one-line, parseable security log
 * ({@link dev.parley.pbx.security.SecurityLog}, logger {@code parley.security}) that operators and fail2ban-style
 * tools read.
 *
 * <p>Depends on the JDK, SLF4J and {@code dev.parley.sipstack.flow.Transport} only.
 */
package dev.parley.pbx.security;
