package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extensions, for admins: {@code GET /api/extensions} ({@code {"extensions": [{number, userId, username,
 * displayName}]}} ordered by number; {@code displayName} is the owner's), {@code POST /api/extensions}
 * {@code {number, userId}} → {@code 201} (a number already in use, or equal to another user's device's SIP
 * username, is {@code 409} naming {@code number}), {@code DELETE /api/extensions/{number}} → {@code 204}.
 */
final class ExtensionApi {
    private static final Logger LOG = LoggerFactory.getLogger(ExtensionApi.class);
    private static final String FIELDS = """
                 "number": {"type": "string", "pattern": "^[0-9*#+]{1,32}$"},
                 "userId": {"type": "string"},
                 "username": {"type": "string"},
                 "displayName": {"type": "string", "description": "the owner's display name"}""";
    static final JsonNode EXTENSION = Schemas.parse("""
            {"type": "object", "required": ["number", "userId", "username", "displayName"],
             "properties": {
            """ + FIELDS + "}}");
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["extensions"],
             "properties": {"extensions": {"type": "array", "items": {
               "type": "object", "required": ["number", "userId", "username", "displayName"],
               "properties": {
            """ + FIELDS + "}}}}}");
    static final JsonNode CREATE = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["number", "userId"],
             "properties": {
               "number": {"type": "string", "pattern": "^[0-9*#+]{1,32}$",
                          "description": "digits and * # +, what a keypad dials"},
               "userId": {"type": "string", "minLength": 1, "maxLength": 64}}}""");

    private final UserRepository users;
    private final ExtensionRepository extensions;
    private final DeviceRepository devices;
    private final ReentrantLock writes;
    private final Runnable directoryChanged;

    ExtensionApi(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            ReentrantLock writes, Runnable directoryChanged) {
        this.users = Objects.requireNonNull(users, "users");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.writes = Objects.requireNonNull(writes, "writes");
        this.directoryChanged = Objects.requireNonNull(directoryChanged, "directoryChanged");
    }

    void list(Context ctx) {
        Map<UserId, User> owners = users.findAll().stream().collect(Collectors.toMap(User::id, Function.identity()));
        ObjectNode out = Json.object();
        var list = out.putArray("extensions");
        for (Extension e : extensions.findAll()) {
            User owner = owners.get(e.owner());
            if (owner != null) { // written between the two reads: shown on the next
                list.add(toJson(e, owner));
            }
        }
        ctx.contentType("application/json").result(Json.write(out));
    }

    void create(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("number", "userId"));
        String number = Json.requiredString(body, "number", 32);
        String userId = Json.requiredString(body, "userId", 64);
        User owner = existingUser(userId).orElseThrow(() -> ApiError.invalid("userId", "names no user"));
        Extension extension = UserApi.valid("number", () -> new Extension(number, owner.id()));
        writes.lock();
        try {
            // a device's SIP username is an address of record too: the number must not name another user's
            if (devices.findBySipUsername(number).filter(d -> !d.owner().equals(owner.id())).isPresent()) {
                throw ApiError.conflict("number", "is the SIP username of another user's device");
            }
            boolean added;
            try {
                added = extensions.add(extension); // never takes a number, even from a writer in another process
            } catch (IllegalStateException e) { // the owner was deleted meanwhile by another process
                throw ApiError.invalid("userId", "names no user");
            }
            if (!added) {
                throw ApiError.conflict("number", "is already an extension");
            }
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        LOG.info("{} gave extension {} to {}", caller.user().name(), number, owner.name());
        ctx.status(201).contentType("application/json").result(Json.write(toJson(extension, owner)));
    }

    void delete(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        String number = ctx.pathParam("number");
        boolean deleted;
        writes.lock();
        try {
            deleted = number.length() <= 32 && extensions.delete(number);
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        if (!deleted) {
            throw ApiError.of(404, "no such extension");
        }
        LOG.info("{} deleted extension {}", caller.user().name(), number);
        ctx.status(204);
    }

    private Optional<User> existingUser(String id) {
        return id.isBlank() ? Optional.empty() : users.findById(new UserId(id));
    }

    private static ObjectNode toJson(Extension e, User owner) {
        return Json.object().put("number", e.number()).put("userId", owner.id().value()).put("username",
                owner.name()).put("displayName", owner.displayName());
    }
}
