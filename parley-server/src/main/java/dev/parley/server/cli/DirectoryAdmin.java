package dev.parley.server.cli;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.server.store.Repositories;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the management commands do to the directory, apart from parsing and printing: every check that turns a
 * mistake into a clear {@link ManagementException} rather than a half-done change or a store exception.
 */
final class DirectoryAdmin {
    private final Repositories store;

    DirectoryAdmin(Repositories store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    // --- users ----------------------------------------------------------------------------------

    User addUser(String name, String displayName) {
        if (store.users().findByName(name).isPresent()) {
            throw new ManagementException("user " + name + " already exists");
        }
        User user = valid(() -> new User(UserId.random(), name, displayName == null ? "" : displayName));
        store.users().save(user);
        return user;
    }

    List<User> users() {
        return store.users().findAll();
    }

    /** Deletes the user; with {@code cascade} its extensions and devices first, else refuses while it has any. */
    User deleteUser(String name, boolean cascade) {
        User user = user(name);
        List<Extension> extensions = store.extensions().findByOwner(user.id());
        List<Device> devices = store.devices().findByOwner(user.id());
        if (!cascade && (!extensions.isEmpty() || !devices.isEmpty())) {
            throw new ManagementException("user " + name + " still has " + describe(extensions, devices)
                    + "; delete them first, or add --cascade to delete them with the user");
        }
        devices.forEach(d -> store.devices().delete(d.id()));
        extensions.forEach(e -> store.extensions().delete(e.number()));
        store.users().delete(user.id());
        return user;
    }

    private static String describe(List<Extension> extensions, List<Device> devices) {
        StringBuilder sb = new StringBuilder();
        if (!extensions.isEmpty()) {
            sb.append(extensions.size() == 1 ? "extension " : "extensions ")
                    .append(extensions.stream().map(Extension::number).collect(Collectors.joining(", ")));
        }
        if (!devices.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " and ").append(devices.size() == 1 ? "device " : "devices ")
                    .append(devices.stream().map(Device::sipUsername).collect(Collectors.joining(", ")));
        }
        return sb.toString();
    }

    User user(String name) {
        return store.users().findByName(name).orElseThrow(() -> new ManagementException("no user named " + name
                + "; see `parley user list`, or add one with `parley user add " + name + "`"));
    }

    String userName(UserId id) {
        return store.users().findById(id).map(User::name).orElse("(unknown user " + id + ")");
    }

    // --- extensions -----------------------------------------------------------------------------

    Extension addExtension(String number, String userName) {
        User owner = user(userName);
        Optional<Extension> existing = store.extensions().find(number);
        if (existing.isPresent()) {
            throw new ManagementException("extension " + number + " already belongs to "
                    + userName(existing.get().owner()) + "; delete it first to give it to " + userName);
        }
        Extension extension = valid(() -> new Extension(number, owner.id()));
        store.devices().findBySipUsername(number).filter(d -> !d.owner().equals(owner.id())).ifPresent(d -> {
            throw new ManagementException("extension " + number + " would share its address of record with device "
                    + number + " of " + userName(d.owner()) + "; choose another number");
        });
        store.extensions().save(extension);
        return extension;
    }

    List<Extension> extensions() {
        return store.extensions().findAll();
    }

    Extension deleteExtension(String number) {
        Extension e = store.extensions().find(number).orElseThrow(() -> new ManagementException("no extension "
                + number + "; see `parley extension list`"));
        store.extensions().delete(number);
        return e;
    }

    // --- devices --------------------------------------------------------------------------------

    /** Adds a device with {@code secret}, or a generated one when empty. */
    Device addDevice(String sipUsername, String userName, Optional<SipSecret> secret, String label,
            MediaPolicy mediaPolicy) {
        User owner = user(userName);
        if (store.devices().findBySipUsername(sipUsername).isPresent()) {
            throw new ManagementException("device " + sipUsername + " already exists; choose another SIP username,"
                    + " or give it a new secret with `parley device set-password " + sipUsername + "`");
        }
        store.extensions().find(sipUsername).filter(e -> !e.owner().equals(owner.id())).ifPresent(e -> {
            throw new ManagementException("SIP username " + sipUsername + " is extension " + sipUsername + " of "
                    + userName(e.owner()) + "; choose another SIP username");
        });
        Device device = valid(() -> new Device(DeviceId.random(), owner.id(), sipUsername,
                secret.orElseGet(SipSecret::generate), label == null ? "" : label, mediaPolicy));
        store.devices().save(device);
        return device;
    }

    List<Device> devices() {
        return store.devices().findAll();
    }

    /** Gives the device {@code secret}, or a generated one when empty. */
    Device setDeviceSecret(String sipUsername, Optional<SipSecret> secret) {
        Device device = device(sipUsername).withSecret(secret.orElseGet(SipSecret::generate));
        store.devices().save(device);
        return device;
    }

    Device setDeviceMediaPolicy(String sipUsername, MediaPolicy policy) {
        Device device = device(sipUsername).withMediaPolicy(policy);
        store.devices().save(device);
        return device;
    }

    /** The policy a CLI word names, or a clear error listing the three. */
    static MediaPolicy mediaPolicy(String word) {
        return MediaPolicy.fromWord(word).orElseThrow(() -> new ManagementException("--media-policy: \"" + word
                + "\" is not a media policy; use required, preferred or off"));
    }

    Device deleteDevice(String sipUsername) {
        Device device = device(sipUsername);
        store.devices().delete(device.id());
        return device;
    }

    private Device device(String sipUsername) {
        return store.devices().findBySipUsername(sipUsername).orElseThrow(() -> new ManagementException(
                "no device " + sipUsername + "; see `parley device list`"));
    }

    /** Runs a model constructor, turning its IllegalArgumentException (bad name, bad number) into a clear error. */
    private static <T> T valid(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new ManagementException(e.getMessage());
        }
    }

    /** {@link SipSecret#of} with the same error treatment; the message never holds the secret. */
    static SipSecret secret(char[] value) {
        return valid(() -> SipSecret.of(new String(value)));
    }
}
