package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import io.javalin.http.Context;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Live registrations (the registrar's bindings): {@code GET /api/registrations} for admins, {@code GET
 * /api/me/registrations} for the caller's own devices; both {@code {"registrations": [{aor, contact, transport,
 * source, userAgent, expiresAt, deviceId, username, browserPhone}]}} ordered by AOR then contact.
 *
 * <p>Live means unexpired and of a device that still exists: a deleted device's bindings stay in the table until
 * they expire, but the router no longer rings them, so they are not shown either. The devices are those the PBX
 * routes with, so a signed-in browser phone's binding (its session-bound credentials are no stored device) is
 * listed on both routes, with {@code browserPhone: true}.
 */
final class RegistrationApi {
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["registrations"],
             "properties": {"registrations": {"type": "array", "items": {
               "type": "object",
               "required": ["aor", "contact", "transport", "source", "userAgent", "expiresAt", "deviceId",
                            "username", "browserPhone"],
               "properties": {
                 "aor": {"type": "string", "description": "the user part of the registered address of record"},
                 "contact": {"type": "string"},
                 "transport": {"enum": ["udp", "tcp", "tls", "ws", "wss"]},
                 "source": {"type": "string", "description": "address:port the REGISTER came from"},
                 "userAgent": {"type": ["string", "null"]},
                 "expiresAt": {"type": "string", "format": "date-time"},
                 "deviceId": {"type": "string"},
                 "username": {"type": "string", "description": "the device's SIP username"},
                 "browserPhone": {"type": "boolean",
                   "description": "a browser phone's session-bound credentials, not a stored device"}}}}}}""");

    private final DeviceRepository devices;
    private final BindingRepository bindings;
    private final InstantSource clock;

    RegistrationApi(DeviceRepository devices, BindingRepository bindings, InstantSource clock) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.bindings = Objects.requireNonNull(bindings, "bindings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Every live binding. The stored devices are read in one go; a binding of any other device is looked up by id in
     * the PBX's view, which knows the browser phones' credentials (and finds nothing for a deleted device).
     */
    void list(Context ctx) {
        Map<DeviceId, Device> byId = new HashMap<>();
        devices.findAll().forEach(d -> byId.put(d.id(), d));
        answer(ctx, id -> {
            Device d = byId.get(id);
            return d != null ? Optional.of(d) : devices.findById(id);
        });
    }

    void mine(Context ctx) {
        Map<DeviceId, Device> byId = devices.findByOwner(ApiGuard.principalOf(ctx).user().id()).stream()
                .collect(Collectors.toMap(Device::id, Function.identity()));
        answer(ctx, id -> Optional.ofNullable(byId.get(id)));
    }

    private void answer(Context ctx, Function<DeviceId, Optional<Device>> deviceOf) {
        Instant now = clock.instant();
        ObjectNode out = Json.object();
        var list = out.putArray("registrations");
        bindings.findAll().stream()
                .filter(b -> !b.isExpired(now))
                .sorted(Comparator.comparing(Binding::aor).thenComparing(b -> b.contact().toString()))
                .forEach(b -> deviceOf.apply(b.deviceId()).ifPresent(d -> list.add(toJson(b, d,
                        devices.webSocketOnly(d)))));
        ctx.contentType("application/json").result(Json.write(out));
    }

    private static ObjectNode toJson(Binding b, Device device, boolean browserPhone) {
        InetSocketAddress remote = b.receivedFrom().remote();
        String host = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
        ObjectNode o = Json.object().put("aor", b.aor()).put("contact", b.contact().toString())
                .put("transport", b.receivedFrom().transport().name().toLowerCase(Locale.ROOT))
                .put("source", (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + remote.getPort());
        if (b.userAgent() == null) {
            o.putNull("userAgent");
        } else {
            o.put("userAgent", b.userAgent());
        }
        return o.put("expiresAt", b.expiresAt().toString()).put("deviceId", device.id().value())
                .put("username", device.sipUsername()).put("browserPhone", browserPhone);
    }
}
