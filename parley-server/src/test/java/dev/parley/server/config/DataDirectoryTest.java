package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void createsTheDirectoryReadableByItsOwnerOnly() throws Exception {
        Path data = DataDirectory.prepare(dir.resolve("a/b/data"));

        assertThat(data).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(data.resolve(".parley-write-test")).doesNotExist();
    }

    @Test
    void anExistingDirectoryIsKept() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve("keep"), "x");
        assertThat(DataDirectory.prepare(data)).isEqualTo(data);
        assertThat(data.resolve("keep")).hasContent("x");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamedWithItsSetting() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path data = file.resolve("data");

        assertThatThrownBy(() -> DataDirectory.prepare(data))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.directory: cannot create " + data)
                .hasMessageContaining("--data");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "x");
        assertThatThrownBy(() -> DataDirectory.prepare(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.directory: " + file + " exists but is not a directory");
    }

    @Test
    void aReadOnlyDirectoryIsReported() throws Exception {
        // root ignores permission bits; /proc is read-only for everyone, and always a directory on Linux
        Path readOnly = Path.of("/proc/self");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(readOnly));
        assertThatThrownBy(() -> DataDirectory.prepare(readOnly))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.directory: ")
                .hasMessageContaining("is not writable")
                .hasMessageContaining("/proc/");
    }
}
