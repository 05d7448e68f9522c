package dev.parley.server.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory ({@code data.directory}): made on first use, readable by Parley's user only (it holds the
 * database, the TLS key and the key that encrypts device secrets), and checked writable before anything else runs,
 * so that a bad directory fails with one clear line instead of a database or TLS error later.
 */
public final class DataDirectory {
    private DataDirectory() {
    }

    /**
     * Creates {@code dir} (mode {@code rwx------} where the file system has POSIX permissions) if it does not exist,
     * then proves it writable by creating and deleting a file in it.
     *
     * @throws ConfigException naming {@code data.directory} and the path
     */
    public static Path prepare(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(d)) {
                if (d.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(d.getParent());
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(d);
                }
            }
        } catch (FileAlreadyExistsException e) {
            if (d.toString().equals(e.getFile())) {
                throw new ConfigException("data.directory: " + d + " exists but is not a directory; point"
                        + " data.directory (or --data) at a directory Parley may write to");
            }
            throw new ConfigException("data.directory: cannot create " + d + " (" + e.getFile() + " is a file, not a"
                    + " directory); point data.directory (or --data) at a directory Parley may write to");
        } catch (IOException | SecurityException e) {
            throw new ConfigException("data.directory: cannot create " + d + " (" + describe(e) + "); create it"
                    + " for Parley's user or point data.directory (or --data) at a directory it may write to");
        }
        Path probe = d.resolve(".parley-write-test");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new ConfigException("data.directory: " + d + " is not writable (" + describe(e) + "); give"
                    + " Parley's user write permission on it or point data.directory (or --data) elsewhere");
        }
        return d;
    }

    private static String describe(Exception e) {
        String what = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return e.getMessage() == null ? what : what.toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage();
    }
}
