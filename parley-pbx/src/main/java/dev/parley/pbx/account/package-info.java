/**
 * Web accounts: Argon2id password hashing in PHC format ({@link dev.parley.pbx.account.PasswordHashing}), the
 * password policy with its common-password list, the {@link dev.parley.pbx.account.HashingGate} that caps
 * concurrent hash computations, login throttling and {@link dev.parley.pbx.account.WebLogin}. Used by the server's
 * first-start bootstrap and by the web login. Depends on the directory ports, Bouncy Castle (Argon2id) and SLF4J;
 * no I/O of its own.
 */
package dev.parley.pbx.account;
