package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.server.store.SecretKeyFile;
import dev.parley.server.store.StoreOpener;
import dev.parley.server.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link CliTest} again on the real store: a temporary SQLite file in the data directory, opened by each
 * command and, for the assertions, held open on a second connection the whole time, as a running server holds it.
 */
class SqliteCliTest extends CliTest {
    private Repositories open;

    @Override
    protected StoreOpener opener() {
        return Stores.production();
    }

    @Override
    protected Repositories store() {
        if (open == null) {
            ParleyConfig config = new ConfigLoader(environment, dir).load(null, List.of());
            dev.parley.server.config.DataDirectory.prepare(config.dataDirectory());
            open = Stores.production().open(config, SecretKeyFile.openOrCreate(config.secretKeyPath()));
        }
        return open;
    }

    @AfterEach
    void closeStore() {
        if (open != null) {
            open.close();
        }
    }

    @Test
    void commandsWorkWhileAnotherConnectionHoldsTheDatabase() {
        assertThat(store().users().findAll()).isEmpty(); // open before the commands run
        ok("user", "add", "carol");
        assertThat(store().users().findByName("carol")).isPresent();
        ok("extension", "add", "300", "--user", "carol");
        assertThat(store().extensions().find("300")).isPresent();
    }

    @Test
    void theDatabaseHoldsOnlyCiphertextOfDeviceSecrets() throws Exception {
        ok("user", "add", "alice");
        ok("device", "add", "alice-desk", "--user", "alice");
        Matcher m = Pattern.compile("secret {8}(\\S+) ").matcher(out);
        assertThat(m.find()).isTrue();
        String secret = m.group(1);

        assertThat(store().devices().findBySipUsername("alice-desk").orElseThrow().secret().reveal())
                .isEqualTo(secret);
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("parley.db")).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
            }
        }
    }

    @Test
    void aDatabaseUrlThatCannotBeOpenedIsABadSetting() {
        environment.put("PARLEY_DATABASE_URL", "jdbc:sqlite::memory:");
        assertThat(parley("user", "list")).isEqualTo(2);
        assertThat(err).startsWith("parley: database.url must be jdbc:sqlite:<file>").doesNotContain("\tat ");
    }
}
