package dev.parley.pbx.directory.memory;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.UserId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link DeviceRepository} in two maps (by id, and by SIP username for the authentication path). */
public final class InMemoryDeviceRepository implements DeviceRepository {
    private final Map<DeviceId, Device> byId = new HashMap<>();
    private final Map<String, Device> byUsername = new HashMap<>();

    @Override
    public synchronized Optional<Device> findById(DeviceId id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<Device> findBySipUsername(String sipUsername) {
        return Optional.ofNullable(byUsername.get(sipUsername));
    }

    @Override
    public synchronized List<Device> findByOwner(UserId owner) {
        return byId.values().stream().filter(d -> d.owner().equals(owner))
                .sorted(Comparator.comparing(Device::sipUsername)).toList();
    }

    @Override
    public synchronized List<Device> findAll() {
        return byId.values().stream().sorted(Comparator.comparing(Device::sipUsername)).toList();
    }

    @Override
    public synchronized void save(Device device) {
        Device holder = byUsername.get(device.sipUsername());
        if (holder != null && !holder.id().equals(device.id())) {
            throw new IllegalStateException("SIP username " + device.sipUsername() + " is taken");
        }
        Device previous = byId.put(device.id(), device);
        if (previous != null) {
            byUsername.remove(previous.sipUsername());
        }
        byUsername.put(device.sipUsername(), device);
    }

    @Override
    public synchronized boolean delete(DeviceId id) {
        Device previous = byId.remove(id);
        if (previous == null) {
            return false;
        }
        byUsername.remove(previous.sipUsername());
        return true;
    }
}
