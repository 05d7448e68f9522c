package dev.parley.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** What differs between the two databases Parley supports; everything else is the same SQL. */
enum Dialect {
    SQLITE("COLLATE BINARY", "BLOB"),
    POSTGRESQL("COLLATE \"C\"", "BYTEA");

    /** What a constraint violation was, so repositories can turn it into the exception their port documents. */
    enum Violation { UNIQUE, FOREIGN_KEY, OTHER, NONE }

    private final String binaryCollation;
    private final String blobType;

    Dialect(String binaryCollation, String blobType) {
        this.binaryCollation = binaryCollation;
        this.blobType = blobType;
    }

    /**
     * Flyway placeholders for the common migrations. {@code ${binary}} makes a text column compare and sort by
     * code point as Java does: PostgreSQL's default collation follows the server locale ("a" &lt; "B" under
     * en_US, not under C), which would reorder names and extension numbers against the in-memory repositories.
     * {@code ${blob}} is the type of a column of bytes (contact pictures).
     */
    Map<String, String> placeholders() {
        return Map.of("binary", binaryCollation, "blob", blobType);
    }

    /**
     * Serializes writers of one AOR's bindings across connections for the rest of the transaction. SQLite has one
     * writer at a time already. PostgreSQL needs it because {@code SELECT … FOR UPDATE} locks only existing rows:
     * two nodes replacing an AOR that has no rows yet, or whose rows the other is deleting, would both insert and
     * leave the union of their sets rather than the last writer's.
     */
    void lockAor(Connection connection, String aor) throws SQLException {
        if (this == POSTGRESQL) {
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                s.setLong(1, advisoryKey("binding:" + aor));
                s.executeQuery().close();
            }
        }
    }

    /** Classifies the SQL exception somewhere in {@code failure}'s causes. */
    Violation violation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return this == SQLITE ? sqliteViolation(e) : postgresViolation(e);
            }
        }
        return Violation.NONE;
    }

    private static Violation sqliteViolation(SQLException e) {
        if (!(e instanceof SQLiteException s)) {
            return Violation.NONE;
        }
        SQLiteErrorCode code = s.getResultCode();
        return switch (code) {
            case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> Violation.UNIQUE;
            case SQLITE_CONSTRAINT_FOREIGNKEY -> Violation.FOREIGN_KEY;
            default -> code.name().startsWith("SQLITE_CONSTRAINT") ? Violation.OTHER : Violation.NONE;
        };
    }

    private static Violation postgresViolation(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return Violation.NONE;
        }
        return switch (state) {
            case "23505" -> Violation.UNIQUE; // unique_violation
            case "23503" -> Violation.FOREIGN_KEY; // foreign_key_violation
            default -> state.startsWith("23") ? Violation.OTHER : Violation.NONE; // class 23: integrity constraint
        };
    }

    private static long advisoryKey(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (d[i] & 0xFF);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
