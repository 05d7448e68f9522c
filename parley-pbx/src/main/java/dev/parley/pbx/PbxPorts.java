package dev.parley.pbx;

import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.cdr.InMemoryCallRecordRepository;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.InMemoryDirectory;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.pbx.settings.UserSettingsService;
import java.util.Objects;

/**
 * The repositories the PBX reads and writes: {@code parley-store} implements them, or the in-memory ones; and the
 * users' settings it enforces on incoming calls, through the cache the web API updates ({@code settings}).
 * {@code directoryInMemory} says when {@code users}, {@code extensions} and {@code devices} can be read without
 * blocking, so that an INVITE can be authenticated and routed on its lane ({@link InMemoryDirectory#NEVER} when
 * they never can: every INVITE is then decided on a virtual thread).
 */
public record PbxPorts(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
        BindingRepository bindings, CallRecordRepository callRecords, UserSettingsService settings,
        InMemoryDirectory directoryInMemory) {
    public PbxPorts {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(extensions, "extensions");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(bindings, "bindings");
        Objects.requireNonNull(callRecords, "callRecords");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(directoryInMemory, "directoryInMemory");
    }

    /** Ports whose directory reads may always block ({@link InMemoryDirectory#NEVER}). */
    public PbxPorts(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            BindingRepository bindings, CallRecordRepository callRecords, UserSettingsService settings) {
        this(users, extensions, devices, bindings, callRecords, settings, InMemoryDirectory.NEVER);
    }

    /** Ports whose users' settings are kept in memory (everyone has the defaults until changed there). */
    public PbxPorts(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            BindingRepository bindings, CallRecordRepository callRecords) {
        this(users, extensions, devices, bindings, callRecords, UserSettingsService.inMemory());
    }

    /** These ports with another view of the devices (e.g. browser phones' credentials laid over the stored ones). */
    public PbxPorts withDevices(DeviceRepository view) {
        return new PbxPorts(users, extensions, view, bindings, callRecords, settings, directoryInMemory);
    }

    /** Everything in memory: tests, and a run without a database. */
    public static PbxPorts inMemory() {
        return new PbxPorts(new InMemoryUserRepository(), new InMemoryExtensionRepository(),
                new InMemoryDeviceRepository(), new InMemoryBindingRepository(), new InMemoryCallRecordRepository(),
                UserSettingsService.inMemory(), InMemoryDirectory.ALWAYS);
    }
}
