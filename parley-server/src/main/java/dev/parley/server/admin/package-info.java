/**
 * The admin account and web passwords: Argon2id hashing in PHC format
 * ({@link dev.parley.server.admin.PasswordHashing}),
 * one-time passwords, and the first-start bootstrap that creates {@code admin}
 * ({@link dev.parley.server.admin.AdminBootstrap}). Depends on the PBX directory ports and Bouncy Castle.
 */
package dev.parley.server.admin;
