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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Live registrations (the registrar's bindings): {@code GET /api/registrations} for admins, {@code GET
 * /api/me/registrations} for the caller's own devices; both {@code {"registrations": [{aor, contact, transport,
 * source, userAgent, expiresAt, deviceId, username}]}} ordered by AOR then contact.
 *
 * <p>Live means unexpired and of a device that still exists: a deleted device's bindings stay in the table until
 * they expire, but the router no longer rings them, so they are not shown either.
 */
final class RegistrationApi {
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["registrations"],
             "properties": {"registrations": {"type": "array", "items": {
               "type": "object",
               "required": ["aor", "contact", "transport", "source", "userAgent", "expiresAt", "deviceId",
                            "username"],
               "properties": {
                 "aor": {"type": "string", "description": "the user part of the registered address of record"},
                 "contact": {"type": "string"},
                 "transport": {"enum": ["udp", "tcp", "tls", "ws", "wss"]},
                 "source": {"type": "string", "description": "address:port the REGISTER came from"},
                 "userAgent": {"type": ["string", "null"]},
                 "expiresAt": {"type": "string", "format": "date-time"},
                 "deviceId": {"type": "string"},
                 "username": {"type": "string", "description": "the device's SIP username"}}}}}}""");

    private final DeviceRepository devices;
    private final BindingRepository bindings;
    private final InstantSource clock;

    RegistrationApi(DeviceRepository devices, BindingRepository bindings, InstantSource clock) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.bindings = Objects.requireNonNull(bindings, "bindings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void list(Context ctx) {
        answer(ctx, devices.findAll());
    }

    void mine(Context ctx) {
        answer(ctx, devices.findByOwner(ApiGuard.principalOf(ctx).user().id()));
    }

    private void answer(Context ctx, List<Device> of) {
        Map<DeviceId, Device> byId = of.stream().collect(Collectors.toMap(Device::id, Function.identity()));
        Instant now = clock.instant();
        ObjectNode out = Json.object();
        var list = out.putArray("registrations");
        bindings.findAll().stream()
                .filter(b -> !b.isExpired(now) && byId.containsKey(b.deviceId()))
                .sorted(Comparator.comparing(Binding::aor).thenComparing(b -> b.contact().toString()))
                .forEach(b -> list.add(toJson(b, byId.get(b.deviceId()))));
        ctx.contentType("application/json").result(Json.write(out));
    }

    private static ObjectNode toJson(Binding b, Device device) {
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
                .put("username", device.sipUsername());
    }
}
