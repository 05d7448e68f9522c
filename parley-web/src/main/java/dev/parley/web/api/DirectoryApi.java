package dev.parley.web.api;

import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.pbx.registrar.BindingRepository;
import io.javalin.http.HandlerType;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The directory's resources (issue 6): admins manage users, extensions and devices and see live registrations; a
 * user sees their own devices and registrations under {@code /api/me/…}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>who</th><th>handler</th></tr>
 *   <tr><td>{@code POST /api/users}, {@code GET|PUT|DELETE /api/users/{id}}</td><td>admins</td>
 *       <td>{@link UserApi}</td></tr>
 *   <tr><td>{@code GET|POST /api/extensions}, {@code DELETE /api/extensions/{number}}</td><td>admins</td>
 *       <td>{@link ExtensionApi}</td></tr>
 *   <tr><td>{@code GET|POST /api/devices}, {@code POST /api/devices/{id}/secret},
 *       {@code DELETE /api/devices/{id}}</td><td>admins</td><td>{@link DeviceApi}</td></tr>
 *   <tr><td>{@code GET /api/me/devices}</td><td>signed in</td><td>{@link DeviceApi}</td></tr>
 *   <tr><td>{@code GET /api/registrations}</td><td>admins</td><td>{@link RegistrationApi}</td></tr>
 *   <tr><td>{@code GET /api/me/registrations}</td><td>signed in</td><td>{@link RegistrationApi}</td></tr>
 * </table>
 *
 * <p>{@code GET /api/users} is a built-in route of {@link ApiRoutes}; this module adds the rest.
 *
 * <p><b>Consistency.</b> The checks that span rows (a number is free, the last superadmin stays, a user's devices
 * and extensions go before the user) are made and acted on under one lock, so two admins of this process cannot
 * interleave them; the repositories' own constraints (unique names and numbers, foreign keys) stop what another
 * process (the CLI, another node) does at the same moment. After every write {@code directoryChanged} runs: the
 * server drops the PBX's copy of the directory there, so a new device can REGISTER at once and a deleted one cannot.
 */
public final class DirectoryApi implements ApiModule {
    private final UserApi users;
    private final ExtensionApi extensions;
    private final DeviceApi devices;
    private final RegistrationApi registrations;

    /**
     * @param users exact reads (not a cache), so an admin sees their own writes
     * @param gate bounds the Argon2id work of setting a password at creation
     * @param directoryChanged runs after each write (the server invalidates the PBX's directory cache)
     */
    public DirectoryApi(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            WebPasswordRepository passwords, BindingRepository bindings, HashingGate gate,
            Runnable directoryChanged, InstantSource clock) {
        this(users, extensions, devices, devices, passwords, bindings, gate, directoryChanged, clock);
    }

    /**
     * @param devices the stored devices, which the API creates, lists and deletes
     * @param liveDevices the devices the PBX routes with, for the registrations routes: the stored ones plus the
     *     browser phones' session-bound credentials, so a signed-in browser phone's binding is listed too
     */
    public DirectoryApi(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            DeviceRepository liveDevices, WebPasswordRepository passwords, BindingRepository bindings,
            HashingGate gate, Runnable directoryChanged, InstantSource clock) {
        Objects.requireNonNull(directoryChanged, "directoryChanged");
        ReentrantLock writes = new ReentrantLock();
        this.users = new UserApi(users, extensions, devices, passwords, gate, writes, directoryChanged);
        this.extensions = new ExtensionApi(users, extensions, devices, writes, directoryChanged);
        this.devices = new DeviceApi(users, devices, writes, directoryChanged);
        this.registrations = new RegistrationApi(liveDevices, bindings, clock);
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.of(HandlerType.POST, "/api/users", Access.ADMINS,
                                "Create a user (admins and superadmins: by a superadmin only)", users::create)
                        .takes(UserApi.CREATE).answers(201, UserApi.USER),
                ApiRoute.of(HandlerType.GET, "/api/users/{id}", Access.ADMINS, "One user", users::get)
                        .answers(200, UserApi.USER),
                ApiRoute.of(HandlerType.PUT, "/api/users/{id}", Access.ADMINS,
                                "Change a user's display name, email or role", users::update)
                        .takes(UserApi.UPDATE).answers(200, UserApi.USER),
                ApiRoute.of(HandlerType.DELETE, "/api/users/{id}", Access.ADMINS,
                        "Delete a user with their extensions and devices", users::delete).answers(204, null),
                ApiRoute.of(HandlerType.GET, "/api/extensions", Access.ADMINS, "Every extension",
                        extensions::list).answers(200, ExtensionApi.LIST),
                ApiRoute.of(HandlerType.POST, "/api/extensions", Access.ADMINS, "Give a user an extension",
                        extensions::create).takes(ExtensionApi.CREATE).answers(201, ExtensionApi.EXTENSION),
                ApiRoute.of(HandlerType.DELETE, "/api/extensions/{number}", Access.ADMINS, "Delete an extension",
                        extensions::delete).answers(204, null),
                ApiRoute.of(HandlerType.GET, "/api/devices", Access.ADMINS, "Every device (never a secret)",
                        devices::list).answers(200, DeviceApi.LIST),
                ApiRoute.of(HandlerType.POST, "/api/devices", Access.ADMINS,
                                "Make a device: SIP credentials, the secret shown in this answer only",
                                devices::create)
                        .takes(DeviceApi.CREATE).answers(201, DeviceApi.WITH_SECRET),
                ApiRoute.of(HandlerType.POST, "/api/devices/{id}/secret", Access.ADMINS,
                        "Give a device a new SIP secret (shown in this answer only; the old one stops working)",
                        devices::rotate).answers(200, DeviceApi.WITH_SECRET),
                ApiRoute.of(HandlerType.DELETE, "/api/devices/{id}", Access.ADMINS, "Delete a device",
                        devices::delete).answers(204, null),
                ApiRoute.of(HandlerType.GET, "/api/me/devices", Access.SIGNED_IN,
                        "The caller's devices (never a secret)", devices::mine).answers(200, DeviceApi.LIST),
                ApiRoute.of(HandlerType.GET, "/api/registrations", Access.ADMINS, "Every live registration",
                        registrations::list).answers(200, RegistrationApi.LIST),
                ApiRoute.of(HandlerType.GET, "/api/me/registrations", Access.SIGNED_IN,
                        "The live registrations of the caller's devices", registrations::mine)
                        .answers(200, RegistrationApi.LIST));
    }
}
