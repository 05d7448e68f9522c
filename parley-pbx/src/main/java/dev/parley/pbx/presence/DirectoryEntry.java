package dev.parley.pbx.presence;

import dev.parley.pbx.directory.UserId;
import java.util.Objects;

/** One extension in the directory every signed-in user sees, with its user's presence. */
public record DirectoryEntry(String extension, String displayName, UserId user, Presence presence) {
    public DirectoryEntry {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(presence, "presence");
    }
}
