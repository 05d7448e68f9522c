package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.account.PasswordPolicy;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, for admins.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code GET /api/users}</td><td>{@code {"users": [{id, username, displayName, role, email}]}}, ordered
 *       by name</td></tr>
 *   <tr><td>{@code POST /api/users} {@code {username, displayName, role, email?, password?}}</td><td>{@code 201}
 *       the user; {@code 409} naming {@code username} or {@code email} when taken; without a password the user
 *       cannot sign in until one is set</td></tr>
 *   <tr><td>{@code GET /api/users/{id}}</td><td>the user, {@code 404} if none</td></tr>
 *   <tr><td>{@code PUT /api/users/{id}} {@code {displayName?, email?, role?}}</td><td>the changed user; a field left
 *       out keeps its value, {@code "email": null} removes the address</td></tr>
 *   <tr><td>{@code DELETE /api/users/{id}}</td><td>{@code 204}; with their devices and extensions in one
 *       transaction of the store, their sessions and tokens with the row</td></tr>
 * </table>
 *
 * <p>Who may do what: an admin manages users; only a superadmin may create, change or delete an admin or a
 * superadmin, or make someone one ({@code 403}). Nobody deletes their own account here, and the last superadmin can
 * be neither deleted nor demoted ({@code 409}): someone must always be able to manage the admins.
 */
public final class UserApi {
    private static final Logger LOG = LoggerFactory.getLogger(UserApi.class);
    static final int MAX_DISPLAY_NAME = 100;
    private static final int MAX_PASSWORD = 1024;
    private static final String USER_FIELDS = """
                 "id": {"type": "string"},
                 "username": {"type": "string"},
                 "displayName": {"type": "string"},
                 "role": {"enum": ["superadmin", "admin", "user"]},
                 "email": {"type": ["string", "null"]}""";
    static final JsonNode USER = Schemas.parse("""
            {"type": "object", "required": ["id", "username", "displayName", "role", "email"],
             "properties": {
            """ + USER_FIELDS + "}}");
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["users"],
             "properties": {"users": {"type": "array", "items": {
               "type": "object", "required": ["id", "username", "displayName", "role", "email"],
               "properties": {
            """ + USER_FIELDS + "}}}}}");
    static final JsonNode CREATE = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["username", "displayName", "role"],
             "properties": {
               "username": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._+-]+$"},
               "displayName": {"type": "string", "maxLength": 100},
               "role": {"enum": ["superadmin", "admin", "user"]},
               "email": {"type": ["string", "null"], "maxLength": 254},
               "password": {"type": ["string", "null"], "minLength": 12,
                            "description": "the web password: checked by the policy, stored as Argon2id"}}}""");
    static final JsonNode UPDATE = Schemas.parse("""
            {"type": "object", "additionalProperties": false,
             "properties": {
               "displayName": {"type": "string", "maxLength": 100},
               "role": {"enum": ["superadmin", "admin", "user"]},
               "email": {"type": ["string", "null"], "maxLength": 254, "description": "null removes the address"}}}""");

    private final UserRepository users;
    private final ExtensionRepository extensions;
    private final DeviceRepository devices;
    private final WebPasswordRepository passwords;
    private final HashingGate gate;
    private final ReentrantLock writes;
    private final Runnable directoryChanged;

    /** Only the list ({@code GET /api/users}, a built-in route). */
    public UserApi(UserRepository users) {
        this(users, null, null, null, null, new ReentrantLock(), () -> { });
    }

    UserApi(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            WebPasswordRepository passwords, HashingGate gate, ReentrantLock writes, Runnable directoryChanged) {
        this.users = Objects.requireNonNull(users, "users");
        this.extensions = extensions;
        this.devices = devices;
        this.passwords = passwords;
        this.gate = gate;
        this.writes = writes;
        this.directoryChanged = directoryChanged;
    }

    void list(Context ctx) {
        ObjectNode out = Json.object();
        var list = out.putArray("users");
        users.findAll().forEach(u -> list.add(toJson(u)));
        ctx.contentType("application/json").result(Json.write(out));
    }

    void get(Context ctx) {
        ctx.contentType("application/json").result(Json.write(toJson(target(ctx))));
    }

    void create(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("username", "displayName", "role", "email", "password"));
        String username = Json.requiredString(body, "username", 64);
        String displayName = displayName(body, true);
        Role role = role(body, true);
        String email = email(body);
        String password = Json.optionalString(body, "password", MAX_PASSWORD);
        User user = valid("username", () -> new User(UserId.random(), username, displayName, role, email));
        if (role.isAdmin() && caller.user().role() != Role.SUPERADMIN) {
            throw ApiError.of(403, "only a superadmin may create admins and superadmins");
        }
        String phc = password == null ? null : hash(password, user);
        writes.lock();
        try {
            if (users.findByName(username).isPresent()) {
                throw ApiError.conflict("username", "is taken");
            }
            if (email != null && users.findByEmail(email).isPresent()) {
                throw ApiError.conflict("email", "belongs to another user");
            }
            try { // with a password: the user and its hash in one transaction of the store, both or neither
                if (phc == null) {
                    users.save(user);
                } else {
                    users.createWithPassword(user, phc, passwords);
                }
            } catch (IllegalStateException e) { // another process took the name or address in between
                throw ApiError.conflict(e.getMessage().contains("email") ? "email" : "username", "is taken");
            }
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        LOG.info("{} created user {} ({})", caller.user().name(), user.name(), role.wireName());
        ctx.status(201).contentType("application/json").result(Json.write(toJson(user)));
    }

    void update(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("displayName", "email", "role"));
        String displayName = displayName(body, false);
        Role role = role(body, false);
        boolean emailGiven = body.has("email");
        String email = email(body);
        User changed;
        writes.lock();
        try {
            User user = target(ctx);
            Role newRole = role == null ? user.role() : role;
            if ((user.role().isAdmin() || newRole.isAdmin()) && caller.user().role() != Role.SUPERADMIN
                    && !(user.id().equals(caller.user().id()) && newRole == user.role())) {
                throw ApiError.of(403, "only a superadmin may change admins and superadmins");
            }
            if (user.role() == Role.SUPERADMIN && newRole != Role.SUPERADMIN && superadmins() == 1) {
                throw ApiError.conflict("role", "the last superadmin keeps the role: make another one first");
            }
            changed = valid("email", () -> new User(user.id(), user.name(),
                    displayName == null ? user.displayName() : displayName, newRole,
                    emailGiven ? email : user.email()));
            if (changed.email() != null && users.findByEmail(changed.email()).filter(u -> !u.id().equals(user.id()))
                    .isPresent()) {
                throw ApiError.conflict("email", "belongs to another user");
            }
            try {
                users.save(changed);
            } catch (IllegalStateException e) {
                throw ApiError.conflict("email", "belongs to another user");
            }
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        LOG.info("{} changed user {}", caller.user().name(), changed.name());
        ctx.contentType("application/json").result(Json.write(toJson(changed)));
    }

    void delete(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        User user;
        writes.lock();
        try {
            user = target(ctx);
            if (user.role().isAdmin() && caller.user().role() != Role.SUPERADMIN) {
                throw ApiError.of(403, "only a superadmin may delete admins and superadmins");
            }
            if (user.id().equals(caller.user().id())) {
                throw ApiError.conflict("id", "is your own account: another admin must delete it");
            }
            if (user.role() == Role.SUPERADMIN && superadmins() == 1) {
                throw ApiError.conflict("id", "is the last superadmin");
            }
            try { // the store: one transaction with the user's devices and extensions
                users.deleteWithExtensionsAndDevices(user.id(), extensions, devices);
            } catch (IllegalStateException e) {
                throw ApiError.conflict("id", "is still needed by other data; nothing was deleted");
            }
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        LOG.info("{} deleted user {}", caller.user().name(), user.name());
        ctx.status(204);
    }

    private long superadmins() {
        return users.findAll().stream().filter(u -> u.role() == Role.SUPERADMIN).count();
    }

    /** The user the path names; 404 if none. */
    private User target(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<User> user = id.isBlank() || id.length() > 64 ? Optional.empty()
                : users.findById(new UserId(id));
        return user.orElseThrow(() -> ApiError.of(404, "no such user"));
    }

    private String hash(String password, User user) {
        char[] chars = password.toCharArray();
        try {
            PasswordPolicy.standard().problem(chars, user.name(), user.email()).ifPresent(problem -> {
                throw ApiError.invalid("password", problem);
            });
            return gate.run(() -> PasswordHashing.argon2id(chars));
        } catch (HashingGate.Busy e) {
            throw ApiError.retryAfter(503, "the server is busy; try again shortly", 1);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static String displayName(ObjectNode body, boolean required) {
        if (required && !body.has("displayName")) {
            throw ApiError.invalid("displayName", "is required");
        }
        JsonNode v = body.get("displayName");
        if (v != null && !v.isTextual()) {
            throw ApiError.invalid("displayName", "must be a string");
        }
        String s = Json.optionalString(body, "displayName", MAX_DISPLAY_NAME);
        if (s != null && s.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.invalid("displayName", "must not hold control characters");
        }
        return s;
    }

    private static Role role(ObjectNode body, boolean required) {
        String word = required ? Json.requiredString(body, "role", 16) : Json.optionalString(body, "role", 16);
        if (word == null) {
            return null;
        }
        return Role.fromWireName(word).orElseThrow(() -> ApiError.invalid("role",
                "must be superadmin, admin or user"));
    }

    private static String email(ObjectNode body) {
        String email = Json.optionalString(body, "email", User.MAX_EMAIL_LENGTH);
        if (email == null) {
            return null;
        }
        return valid("email", () -> User.normalizeEmail(email));
    }

    /** Runs a model constructor; its IllegalArgumentException becomes a 400 naming {@code field}. */
    static <T> T valid(String field, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(field, problemOf(e));
        }
    }

    /**
     * The model's message without the value it may quote (the rules in {@code Names} end with ": " + the value);
     * an API error never repeats the input.
     */
    private static String problemOf(IllegalArgumentException e) {
        String m = e.getMessage() == null ? "is not valid" : e.getMessage();
        int quote = m.indexOf(" only: ");
        return quote < 0 ? m : m.substring(0, quote + " only".length());
    }

    static ObjectNode toJson(User u) {
        ObjectNode o = Json.object().put("id", u.id().value()).put("username", u.name())
                .put("displayName", u.displayName()).put("role", u.role().wireName());
        if (u.email() == null) {
            o.putNull("email");
        } else {
            o.put("email", u.email());
        }
        return o;
    }
}
