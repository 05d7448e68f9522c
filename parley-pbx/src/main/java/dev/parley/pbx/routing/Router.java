package dev.parley.pbx.routing;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.Registrar;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.TelUri;
import dev.parley.sip.uri.Uri;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves a dialled number to the contacts to ring.
 *
 * <ol>
 *   <li>The number is the Request-URI's user part ({@code sip:102@pbx}) or the number of a {@code tel:} URI.</li>
 *   <li>It must be an {@link Extension}; otherwise {@link Route.NotFound}.</li>
 *   <li>Its owner's devices are collected; their bindings are the registrar's under the extension's AOR and under
 *       each device's own SIP username (a device may register either, see
 *       {@link dev.parley.pbx.registrar.Registrar}).</li>
 *   <li>Bindings of a device that no longer belongs to the owner, and of the calling device itself, are skipped; a
 *       contact bound under both AORs from the same flow is rung once. Nothing left: {@link Route.Unavailable}.</li>
 * </ol>
 *
 * <p>Blocking (repositories); thread-safe.
 */
public final class Router {
    private final UserRepository users;
    private final ExtensionRepository extensions;
    private final DeviceRepository devices;
    private final Registrar registrar;

    public Router(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            Registrar registrar) {
        this.users = Objects.requireNonNull(users, "users");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.registrar = Objects.requireNonNull(registrar, "registrar");
    }

    /** The identity Parley presents for calls from {@code device}. */
    public CallerId callerOf(Device device) {
        List<Extension> owned = extensions.findByOwner(device.owner());
        String number = owned.isEmpty() ? device.sipUsername() : owned.getFirst().number();
        String name = users.findById(device.owner()).map(u -> u.displayName().isBlank() ? null : u.displayName())
                .orElse(null);
        return new CallerId(device, number, name);
    }

    /** The number a Request-URI dials, if it names one. */
    public static Optional<String> dialled(Uri requestUri) {
        String user = switch (requestUri) {
            case SipUri s -> s.user();
            case TelUri t -> t.number();
            default -> null;
        };
        return user == null || user.isEmpty() ? Optional.empty() : Optional.of(user);
    }

    /**
     * Where {@code requestUri} rings for a call from {@code caller} (whose own device is never rung).
     *
     * @param caller the calling device, or {@code null} for a call that comes from no local device
     */
    public Route route(Uri requestUri, Device caller) {
        return route(requestUri, caller, registrar::lookup);
    }

    /**
     * What {@link #route} returns, if every binding it reads is in memory ({@link Registrar#lookupInMemory});
     * otherwise {@code null}. For a SIP lane, which must not block; the directory reads are the caller's to keep in
     * memory ({@link dev.parley.pbx.directory.InMemoryDirectory}).
     */
    public Route routeInMemory(Uri requestUri, Device caller) {
        return route(requestUri, caller, registrar::lookupInMemory);
    }

    /** @param lookup an AOR's bindings, or null when they cannot be read: then the route is null too */
    private Route route(Uri requestUri, Device caller, Function<String, List<Binding>> lookup) {
        String number = dialled(requestUri).orElse("");
        Optional<Extension> extension = number.isEmpty() ? Optional.empty() : extensions.find(number);
        if (extension.isEmpty()) {
            return new Route.NotFound(number);
        }
        Map<DeviceId, Device> owned = new LinkedHashMap<>();
        for (Device d : devices.findByOwner(extension.get().owner())) {
            owned.put(d.id(), d);
        }
        List<String> aors = new ArrayList<>();
        aors.add(number);
        owned.values().forEach(d -> aors.add(d.sipUsername()));
        List<Target> targets = new ArrayList<>();
        for (String aor : aors) {
            List<Binding> bindings = lookup.apply(aor);
            if (bindings == null) {
                return null;
            }
            for (Binding b : bindings) {
                Device d = owned.get(b.deviceId());
                if (d == null || (caller != null && d.id().equals(caller.id())) || isDuplicate(targets, b)) {
                    continue;
                }
                targets.add(new Target(b, d));
            }
        }
        return targets.isEmpty() ? new Route.Unavailable(number) : new Route.Ring(number, targets);
    }

    private static boolean isDuplicate(List<Target> targets, Binding b) {
        for (Target t : targets) {
            Binding o = t.binding();
            if (o.receivedFrom().flowId().equals(b.receivedFrom().flowId())
                    && o.contact().uri().equivalentTo(b.contact().uri())) {
                return true;
            }
        }
        return false;
    }
}
