package dev.parley.store;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.security.SecretCipher;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link DeviceRepository} in the {@code devices} table. The secret crosses the JDBC boundary only as ciphertext
 * bound to the row ({@code device:<id>:secret}), so a value copied to another row does not decrypt there.
 */
final class JdbcDeviceRepository implements DeviceRepository {
    private static final String COLUMNS = "id, owner_id, sip_username, secret_ciphertext, label, media_policy";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final SecretCipher cipher;
    private final RowMapper<Device> mapper;

    JdbcDeviceRepository(Jdbi jdbi, Dialect dialect, SecretCipher cipher) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.cipher = cipher;
        this.mapper = (rs, ctx) -> {
            DeviceId id = new DeviceId(rs.getString("id"));
            SipSecret secret = SipSecret.of(cipher.decrypt(rs.getString("secret_ciphertext"), secretContext(id)));
            return new Device(id, new UserId(rs.getString("owner_id")), rs.getString("sip_username"), secret,
                    rs.getString("label"), mediaPolicy(rs.getString("media_policy")));
        };
    }

    /** The cipher context of a device's secret: names the row and the column. */
    static String secretContext(DeviceId id) {
        return "device:" + id + ":secret";
    }

    /** The column's word (its CHECK constraint admits only the three); anything else is a corrupted row. */
    private static MediaPolicy mediaPolicy(String word) {
        return MediaPolicy.fromWord(word).orElseThrow(() -> new IllegalStateException(
                "devices.media_policy holds \"" + word + "\", not required, preferred or off"));
    }

    @Override
    public Optional<Device> findById(DeviceId id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM devices WHERE id = :id")
                .bind("id", id.value()).map(mapper).findOne());
    }

    @Override
    public Optional<Device> findBySipUsername(String sipUsername) {
        // the unique index on sip_username makes hit and miss cost the same one index probe
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM devices WHERE sip_username = :u")
                .bind("u", sipUsername).map(mapper).findOne());
    }

    @Override
    public List<Device> findByOwner(UserId owner) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM devices WHERE owner_id = :owner ORDER BY sip_username")
                .bind("owner", owner.value()).map(mapper).list());
    }

    @Override
    public List<Device> findAll() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM devices ORDER BY sip_username")
                .map(mapper).list());
    }

    @Override
    public void save(Device device) {
        String ciphertext = cipher.encrypt(device.secret().reveal(), secretContext(device.id()));
        try {
            jdbi.useTransaction(h -> {
                Optional<String> holder = h.createQuery("SELECT id FROM devices WHERE sip_username = :u")
                        .bind("u", device.sipUsername()).mapTo(String.class).findOne();
                if (holder.isPresent() && !holder.get().equals(device.id().value())) {
                    throw taken(device, null);
                }
                h.createUpdate("INSERT INTO devices (" + COLUMNS + ")"
                                + " VALUES (:id, :owner, :sipUsername, :ciphertext, :label, :mediaPolicy)"
                                + " ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id,"
                                + " sip_username = excluded.sip_username,"
                                + " secret_ciphertext = excluded.secret_ciphertext, label = excluded.label,"
                                + " media_policy = excluded.media_policy")
                        .bind("id", device.id().value()).bind("owner", device.owner().value())
                        .bind("sipUsername", device.sipUsername()).bind("ciphertext", ciphertext)
                        .bind("label", device.label()).bind("mediaPolicy", device.mediaPolicy().word()).execute();
                JdbcDirectoryVersion.bump(h);
            });
        } catch (JdbiException e) {
            throw switch (dialect.violation(e)) {
                case UNIQUE -> taken(device, e); // another node took the username between check and write
                case FOREIGN_KEY -> new IllegalStateException("device " + device.sipUsername() + " names user "
                        + device.owner() + ", who does not exist", e);
                default -> e;
            };
        }
    }

    @Override
    public boolean delete(DeviceId id) {
        return jdbi.inTransaction(h -> {
            // its registrations go with it, at once on every node: a deleted phone is rung no more and is not
            // listed as registered until its bindings would have expired
            h.createUpdate("DELETE FROM bindings WHERE device_id = :id").bind("id", id.value()).execute();
            return JdbcDirectoryVersion.bumped(h, h.createUpdate("DELETE FROM devices WHERE id = :id")
                    .bind("id", id.value()).execute());
        }) > 0;
    }

    private static IllegalStateException taken(Device device, Throwable cause) {
        return new IllegalStateException("SIP username " + device.sipUsername() + " is taken", cause);
    }
}
