package dev.parley.web.api;

import dev.parley.pbx.directory.Role;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who may call a route: anyone ({@link #PUBLIC}, no session needed) or a signed-in user whose role is in
 * {@link #roles()}. Every route in {@link ApiRoutes} declares one, so none can be added without deciding.
 */
public record Access(boolean isPublic, Set<Role> roles) {
    public static final Access PUBLIC = new Access(true, Set.of());
    public static final Access SIGNED_IN = new Access(false, EnumSet.allOf(Role.class));
    public static final Access ADMINS = new Access(false, EnumSet.of(Role.SUPERADMIN, Role.ADMIN));

    public Access {
        Objects.requireNonNull(roles, "roles");
        // an EnumSet keeps declaration order (superadmin, admin, user), so the table prints the same every time
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        if (!isPublic && roles.isEmpty()) {
            throw new IllegalArgumentException("a route that needs a session must allow at least one role");
        }
    }

    public boolean allows(Role role) {
        return isPublic || roles.contains(role);
    }
}
