package dev.parley.pbx.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.contacts.memory.InMemoryContactRepository;
import dev.parley.pbx.directory.UserId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactsTest {
    private static final UserId ALICE = new UserId("alice");
    private final Contacts contacts = new Contacts(new InMemoryContactRepository());

    private static byte[] withPrefix(int size, int... prefix) {
        byte[] b = new byte[size];
        for (int i = 0; i < prefix.length; i++) {
            b[i] = (byte) prefix[i];
        }
        return b;
    }

    @Test
    void picturesAreTypedByTheirMagicBytes() {
        assertThat(PictureType.detect(withPrefix(16, 0x89, 'P', 'N', 'G', 13, 10, 26, 10))).contains(PictureType.PNG);
        assertThat(PictureType.detect(withPrefix(16, 0xFF, 0xD8, 0xFF, 0xE0))).contains(PictureType.JPEG);
        assertThat(PictureType.detect("RIFF\u0010\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)))
                .contains(PictureType.WEBP);
        assertThat(PictureType.detect("GIF89a....".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(PictureType.detect("<html><script>".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(PictureType.detect("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
        assertThat(PictureType.detect(new byte[] {(byte) 0x89, 'P'})).isEmpty();
        assertThat(PictureType.detect(new byte[0])).isEmpty();
    }

    @Test
    void uploadsAreCheckedForSizeTypeAndOwner() {
        String id = contacts.create(ALICE, new Contacts.Draft("Bob", null, List.of(), null)).orElseThrow().id();
        byte[] png = withPrefix(Contacts.MAX_PICTURE_BYTES, 0x89, 'P', 'N', 'G', 13, 10, 26, 10);
        assertThat(contacts.setPicture(ALICE, id, png)).isEqualTo(Contacts.PictureOutcome.STORED);
        assertThat(contacts.setPicture(ALICE, id, withPrefix(Contacts.MAX_PICTURE_BYTES + 1, 0x89, 'P', 'N', 'G', 13,
                10, 26, 10))).isEqualTo(Contacts.PictureOutcome.TOO_LARGE);
        assertThat(contacts.setPicture(ALICE, id, "GIF89a".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Contacts.PictureOutcome.NOT_PNG_JPEG_OR_WEBP);
        assertThat(contacts.setPicture(new UserId("mallory"), id, png))
                .isEqualTo(Contacts.PictureOutcome.NO_SUCH_CONTACT);
        assertThat(contacts.picture(ALICE, id).orElseThrow().bytes()).isEqualTo(png);
    }

    @Test
    void fieldsAreCheckedAndNamed() {
        assertThatThrownBy(() -> contacts.create(ALICE, new Contacts.Draft("  ", null, List.of(), null)))
                .isInstanceOf(Contacts.Invalid.class).extracting("field").isEqualTo("displayName");
        assertThatThrownBy(() -> contacts.create(ALICE, new Contacts.Draft("B", "20 1", List.of(), null)))
                .extracting("field").isEqualTo("extension");
        assertThatThrownBy(() -> contacts.create(ALICE, new Contacts.Draft("B", null, List.of("+1 555", "abc"), null)))
                .extracting("field").isEqualTo("phoneNumbers[1]");
        assertThatThrownBy(() -> contacts.create(ALICE, new Contacts.Draft("B", null, List.of("1\n2"), null)))
                .extracting("field").isEqualTo("phoneNumbers[0]");
        assertThatThrownBy(() -> contacts.create(ALICE, new Contacts.Draft("B", null, List.of(), "no-at")))
                .extracting("field").isEqualTo("email");
        Contact c = contacts.create(ALICE, new Contacts.Draft(" Bob ", " 201 ", List.of("+41 44 123 45 67"), ""))
                .orElseThrow();
        assertThat(c.displayName()).isEqualTo("Bob");
        assertThat(c.extension()).isEqualTo("201");
        assertThat(c.email()).isNull();
    }

    @Test
    void theThousandAndFirstContactIsRefused() {
        for (int i = 0; i < Contacts.MAX_PER_USER; i++) {
            assertThat(contacts.create(ALICE, new Contacts.Draft("c" + i, null, List.of(), null))).isPresent();
        }
        assertThat(contacts.create(ALICE, new Contacts.Draft("one more", null, List.of(), null))).isEmpty();
        assertThat(contacts.create(new UserId("bob"), new Contacts.Draft("x", null, List.of(), null))).isPresent();
    }
}
