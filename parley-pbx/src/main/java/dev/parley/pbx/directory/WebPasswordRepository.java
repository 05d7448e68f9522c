package dev.parley.pbx.directory;

import java.util.Objects;
import java.util.Optional;

/**
 * Port: where the hash of each user's web login password is kept. Implemented by {@code parley-store} (JDBC) and by
 * {@link dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository}. Thread-safe; calls may block.
 *
 * <p>The value is a PHC string (for Parley, Argon2id: {@code $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>}) computed by
 * the caller; a repository stores it as given and never sees a password. {@link #set} refuses anything that is not
 * shaped like a PHC string, so that a caller bug which passes the password itself fails loudly instead of writing it
 * to the database in clear.
 *
 * <p>A user has at most one hash. With the JDBC store the user must exist, and deleting the user deletes the hash.
 */
public interface WebPasswordRepository {
    /** Longest PHC string accepted; an Argon2id string with a 16-byte salt and a 32-byte hash is about 100. */
    int MAX_PHC_LENGTH = 512;

    /** The stored PHC string of {@code user}, if it has one. */
    Optional<String> find(UserId user);

    /**
     * Stores {@code phcHash} as the user's hash, replacing any previous one.
     *
     * @throws IllegalArgumentException if {@code phcHash} is not shaped like a PHC string (see {@link #checkPhc});
     *     the message does not contain the value
     */
    void set(UserId user, String phcHash);

    /**
     * Checks the shape of a PHC string ({@code $<id>[$<field>]…}, printable ASCII without spaces, at most
     * {@value #MAX_PHC_LENGTH} characters) and returns it.
     *
     * @throws IllegalArgumentException if it is not; the message does not contain the value, which might be a
     *     password passed here by mistake
     */
    static String checkPhc(String phcHash) {
        Objects.requireNonNull(phcHash, "phcHash");
        if (phcHash.isEmpty() || phcHash.length() > MAX_PHC_LENGTH) {
            throw new IllegalArgumentException("a password hash must be a PHC string of 1 to " + MAX_PHC_LENGTH
                    + " characters");
        }
        int algorithmEnd = phcHash.indexOf('$', 1);
        if (phcHash.charAt(0) != '$' || algorithmEnd < 2) {
            throw new IllegalArgumentException("a password hash must be a PHC string ($<algorithm>$…), not a"
                    + " password");
        }
        for (int i = 1; i < phcHash.length(); i++) {
            char c = phcHash.charAt(i);
            boolean ok = i < algorithmEnd
                    ? (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    : c > 0x20 && c < 0x7F;
            if (!ok) {
                throw new IllegalArgumentException("a password hash must be a PHC string ($<algorithm>$…):"
                        + " character " + (i + 1) + " is not allowed there");
            }
        }
        return phcHash;
    }
}
