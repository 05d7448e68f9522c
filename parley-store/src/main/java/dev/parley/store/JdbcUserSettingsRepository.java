package dev.parley.store;

import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.settings.UserSettings;
import dev.parley.pbx.settings.UserSettingsRepository;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link UserSettingsRepository} in the {@code user_settings} table; a row goes when its user does. */
final class JdbcUserSettingsRepository implements UserSettingsRepository {
    private static final RowMapper<UserSettings> SETTINGS = (rs, ctx) -> new UserSettings(
            rs.getInt("do_not_disturb") != 0, rs.getInt("call_waiting") != 0, rs.getInt("auto_answer") != 0,
            new UserSettings.Devices(rs.getString("microphone"), rs.getString("speaker"), rs.getString("ringer"),
                    rs.getString("camera")));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcUserSettingsRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public Optional<UserSettings> find(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT do_not_disturb, call_waiting, auto_answer, microphone,"
                        + " speaker, ringer, camera FROM user_settings WHERE user_id = :user")
                .bind("user", user.value()).map(SETTINGS).findOne());
    }

    @Override
    public void save(UserId user, UserSettings s) {
        try {
            // one statement on both databases (SQLite 3.24+ and PostgreSQL 9.5+ share the upsert syntax)
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_settings (user_id, do_not_disturb, call_waiting,"
                            + " auto_answer, microphone, speaker, ringer, camera) VALUES (:user, :dnd, :waiting,"
                            + " :auto, :mic, :speaker, :ringer, :camera) ON CONFLICT (user_id) DO UPDATE SET"
                            + " do_not_disturb = excluded.do_not_disturb, call_waiting = excluded.call_waiting,"
                            + " auto_answer = excluded.auto_answer, microphone = excluded.microphone,"
                            + " speaker = excluded.speaker, ringer = excluded.ringer, camera = excluded.camera")
                    .bind("user", user.value()).bind("dnd", s.doNotDisturb() ? 1 : 0)
                    .bind("waiting", s.callWaiting() ? 1 : 0).bind("auto", s.autoAnswer() ? 1 : 0)
                    .bind("mic", s.devices().microphone()).bind("speaker", s.devices().speaker())
                    .bind("ringer", s.devices().ringer()).bind("camera", s.devices().camera()).execute());
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.FOREIGN_KEY) {
                throw new IllegalStateException("no user " + user + " to hold settings", e);
            }
            throw e;
        }
    }
}
