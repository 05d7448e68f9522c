package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.contacts.Contact;
import dev.parley.pbx.contacts.Picture;
import dev.parley.pbx.contacts.PictureType;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.settings.UserSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only the JDBC store can promise for settings and contacts: rows go with their user, none without one. */
abstract class SettingsJdbcContract {
    private static final UserSettings DND = new UserSettings(true, true, false, UserSettings.Devices.NONE);

    protected abstract Store store();

    @Test
    void aUsersSettingsAndContactsGoWithIt() {
        User alice = user("alice");
        store().users().save(alice);
        store().userSettings().save(alice.id(), DND);
        store().contacts().insert(new Contact("c1", alice.id(), "Bob", null, List.of(), null, false), 10);
        store().contacts().setPicture(alice.id(), "c1", new Picture(PictureType.WEBP,
                "RIFF\0\0\0\0WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertThat(store().users().delete(alice.id())).isTrue();
        store().users().save(alice); // same id again: must not inherit anything
        assertThat(store().userSettings().find(alice.id())).isEmpty();
        assertThat(store().contacts().findByOwner(alice.id())).isEmpty();
        assertThat(store().contacts().picture(alice.id(), "c1")).isEmpty();
    }

    @Test
    void noSettingsOrContactsForAnUnknownUser() {
        UserId ghost = new UserId("ghost");
        assertThatThrownBy(() -> store().userSettings().save(ghost, DND)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no user");
        assertThatThrownBy(() -> store().contacts().insert(new Contact("c1", ghost, "B", null, List.of(), null,
                false), 10)).isInstanceOf(IllegalStateException.class).hasMessageContaining("no user");
    }
}
