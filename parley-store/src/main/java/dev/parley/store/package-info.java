/**
 * Persistence adapters for the PBX ports over JDBC: SQLite (an embedded file, the default) or PostgreSQL (one
 * setting, {@code database.url}; shared by several nodes). {@link dev.parley.store.Store} opens the database, runs
 * the Flyway migrations in {@code db/migration/common} and hands out the repositories; each repository is plain SQL
 * through Jdbi with explicit row mapping.
 *
 * <p>Conventions: instants are epoch milliseconds in {@code BIGINT} columns (portable, exact, and what the ports
 * promise); SIP addresses are their canonical text ({@code Address.toString()}, read with {@code Address.parse});
 * socket addresses are {@code host:port} with IPv6 in brackets; names that are sorted or compared are declared with
 * byte-wise collation on both databases, so ordering matches Java's {@code String.compareTo} whatever the server's
 * locale. Secrets are written only as {@link dev.parley.pbx.security.SecretCipher} ciphertext.
 *
 * <p>May depend on {@code parley-pbx} (the ports), {@code parley-sip} and {@code parley-sip-stack} value types,
 * {@code parley-common}, and the JDBC libraries; nothing in the PBX depends on this package.
 */
package dev.parley.store;
