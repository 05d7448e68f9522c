/**
 * The directory: users, the extensions that ring them, and the devices (SIP credentials) they register with, plus
 * the repository <em>ports</em> that {@code parley-store} implements over JDBC (SQLite by default, PostgreSQL by a
 * setting). In-memory implementations for tests and for a store-less run live in
 * {@link dev.parley.pbx.directory.memory}.
 *
 * <p>Secrets: a {@link dev.parley.pbx.directory.Device} carries its SIP secret in clear inside the process, because
 * Digest authentication needs it to compute {@code H(A1)} for every algorithm Parley offers (SHA-256 and MD5) and
 * for any realm. The store persists only {@link dev.parley.pbx.security.SecretCipher} ciphertext of it, with the key
 * kept outside the database.
 *
 * <p>Depends on the JDK only.
 */
package dev.parley.pbx.directory;
