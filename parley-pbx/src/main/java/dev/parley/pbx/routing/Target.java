package dev.parley.pbx.routing;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.registrar.Binding;
import java.util.Objects;

/** One contact to ring: a registered binding and the device that registered it. */
public record Target(Binding binding, Device device) {
    public Target {
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(device, "device");
    }
}
