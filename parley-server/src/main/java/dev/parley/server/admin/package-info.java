/**
 * The admin account: one-time passwords (hashed with {@code dev.parley.pbx.account.PasswordHashing}) and the
 * first-start bootstrap that creates {@code admin} as superadmin ({@link dev.parley.server.admin.AdminBootstrap}).
 * Depends on the PBX directory and account packages.
 */
package dev.parley.server.admin;
