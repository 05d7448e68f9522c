package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices: the SIP credentials a phone registers with.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code GET /api/devices} (admins), {@code GET /api/me/devices} (the caller's)</td><td>{@code
 *       {"devices": [{id, name, userId, username, mediaPolicy}]}} ordered by SIP username, never a secret</td></tr>
 *   <tr><td>{@code POST /api/devices} {@code {userId, name, mediaPolicy?}}</td><td>{@code 201} the device with
 *       {@code secret}: the one time it is shown</td></tr>
 *   <tr><td>{@code POST /api/devices/{id}/secret}</td><td>the device with a new {@code secret}, shown once; the
 *       old one stops working at once</td></tr>
 *   <tr><td>{@code DELETE /api/devices/{id}}</td><td>{@code 204}; its registrations no longer ring and it can no
 *       longer register</td></tr>
 * </table>
 *
 * <p>Parley chooses the SIP username (the Digest username, {@code username} in JSON): the owner's name, a hyphen
 * and the lowest free number ({@code alice-1}). The hyphen keeps it apart from every extension number (digits and
 * {@code * # +}), so a device's own address of record never collides with an extension. The secret is
 * {@link SipSecret#generate() 144 random bits}; the store keeps it only as ciphertext.
 */
final class DeviceApi {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceApi.class);
    static final int MAX_NAME = 100;
    private static final String FIELDS = """
                 "id": {"type": "string"},
                 "name": {"type": "string"},
                 "userId": {"type": "string"},
                 "username": {"type": "string", "description": "the SIP (Digest) username"},
                 "mediaPolicy": {"enum": ["required", "preferred", "off"]}""";
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["devices"],
             "properties": {"devices": {"type": "array", "items": {
               "type": "object", "required": ["id", "name", "userId", "username", "mediaPolicy"],
               "not": {"required": ["secret"]},
               "properties": {
            """ + FIELDS + "}}}}}");
    static final JsonNode WITH_SECRET = Schemas.parse("""
            {"type": "object", "required": ["id", "name", "userId", "username", "mediaPolicy", "secret"],
             "properties": {
               "secret": {"type": "string", "minLength": 24,
                          "description": "the SIP password, shown in this answer only"},
            """ + FIELDS + "}}");
    static final JsonNode CREATE = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["userId", "name"],
             "properties": {
               "userId": {"type": "string", "minLength": 1, "maxLength": 64},
               "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "e.g. desk phone"},
               "mediaPolicy": {"enum": ["required", "preferred", "off"],
                               "description": "SRTP required, preferred (the default) or off"}}}""");

    private final UserRepository users;
    private final DeviceRepository devices;
    private final ReentrantLock writes;
    private final Runnable directoryChanged;

    DeviceApi(UserRepository users, DeviceRepository devices, ReentrantLock writes, Runnable directoryChanged) {
        this.users = Objects.requireNonNull(users, "users");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.writes = Objects.requireNonNull(writes, "writes");
        this.directoryChanged = Objects.requireNonNull(directoryChanged, "directoryChanged");
    }

    void list(Context ctx) {
        answer(ctx, devices.findAll());
    }

    void mine(Context ctx) {
        answer(ctx, devices.findByOwner(ApiGuard.principalOf(ctx).user().id()));
    }

    private static void answer(Context ctx, List<Device> list) {
        ObjectNode out = Json.object();
        var array = out.putArray("devices");
        list.forEach(d -> array.add(toJson(d)));
        ctx.contentType("application/json").result(Json.write(out));
    }

    void create(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("userId", "name", "mediaPolicy"));
        String userId = Json.requiredString(body, "userId", 64);
        String name = Json.requiredString(body, "name", MAX_NAME);
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.invalid("name", "must be text without control characters");
        }
        String policyWord = Json.optionalString(body, "mediaPolicy", 16);
        MediaPolicy policy = policyWord == null ? MediaPolicy.PREFERRED : MediaPolicy.fromWord(policyWord)
                .filter(p -> p.word().equals(policyWord))
                .orElseThrow(() -> ApiError.invalid("mediaPolicy", "must be required, preferred or off"));
        User owner = (userId.isBlank() ? Optional.<User>empty() : users.findById(new UserId(userId)))
                .orElseThrow(() -> ApiError.invalid("userId", "names no user"));
        Device device;
        writes.lock();
        try {
            device = new Device(DeviceId.random(), owner.id(), freeSipUsername(owner), SipSecret.generate(), name,
                    policy);
            try {
                devices.save(device);
            } catch (IllegalStateException e) { // another process took the username, or deleted the owner
                throw ApiError.conflict("userId", "the device could not be saved; try again");
            }
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        LOG.info("{} made device {} for {}", caller.user().name(), device.sipUsername(), owner.name());
        ctx.status(201).contentType("application/json").result(Json.write(withSecret(device)));
    }

    void rotate(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        Device rotated;
        writes.lock();
        try {
            rotated = target(ctx).withSecret(SipSecret.generate());
            devices.save(rotated);
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        LOG.info("{} gave device {} a new secret", caller.user().name(), rotated.sipUsername());
        ctx.contentType("application/json").result(Json.write(withSecret(rotated)));
    }

    void delete(Context ctx) {
        Principal caller = ApiGuard.principalOf(ctx);
        Device device;
        writes.lock();
        try {
            device = target(ctx);
            devices.delete(device.id());
        } finally {
            writes.unlock();
            directoryChanged.run();
        }
        LOG.info("{} deleted device {}", caller.user().name(), device.sipUsername());
        ctx.status(204);
    }

    private Device target(Context ctx) {
        String id = ctx.pathParam("id");
        return (id.isBlank() || id.length() > 64 ? Optional.<Device>empty() : devices.findById(new DeviceId(id)))
                .orElseThrow(() -> ApiError.of(404, "no such device"));
    }

    /** {@code <owner>-<n>} with the lowest free n; the owner's name is cut so that the whole fits in 64. */
    private String freeSipUsername(User owner) {
        String base = owner.name().length() > 54 ? owner.name().substring(0, 54) : owner.name();
        for (int n = 1; ; n++) {
            String candidate = base + "-" + n;
            if (devices.findBySipUsername(candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    static ObjectNode toJson(Device d) {
        return Json.object().put("id", d.id().value()).put("name", d.label()).put("userId", d.owner().value())
                .put("username", d.sipUsername()).put("mediaPolicy", d.mediaPolicy().word());
    }

    private static ObjectNode withSecret(Device d) {
        return toJson(d).put("secret", d.secret().reveal());
    }
}
