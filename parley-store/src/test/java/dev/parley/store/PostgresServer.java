package dev.parley.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL cluster for {@code *IT} tests: {@code initdb} into a temporary directory, {@code pg_ctl
 * start} on a free port of 127.0.0.1 with the socket in that directory, {@code pg_ctl stop -m immediate} and delete
 * afterwards. Register it as a static {@code @RegisterExtension} field; {@link #url()} is then a JDBC URL for the
 * superuser {@code parley} (trust authentication, database {@code postgres}).
 *
 * <p>It uses the server binaries of the Debian package {@code postgresql} ({@code /usr/lib/postgresql/<v>/bin}, the
 * newest version found; {@code PARLEY_PG_BIN} overrides the directory) and fails — never skips — when they are
 * missing. PostgreSQL refuses to run as root, so under root the cluster belongs to the {@code postgres} OS user the
 * package creates and the commands run through {@code runuser -u postgres --}.
 *
 * <p>The cluster is created with an ICU en-US collation on purpose: under it {@code 'a' < 'B'}, so a query that
 * relies on the server's collation for ordering fails the repository contracts instead of passing by luck under C.
 * Durability settings are off: the cluster is thrown away.
 *
 * <p>Test classes that each want a database of their own without each paying for a cluster use {@link #shared()}
 * (one cluster for the whole JVM, stopped by a shutdown hook) and {@link #createDatabase()}.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
    private static final String OS_USER = "postgres";

    private Path dir;
    private Path bin;
    private int port;
    private boolean asRoot;
    private Thread shutdownHook;

    private static PostgresServer shared;

    public String url() {
        return url("postgres");
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=parley";
    }

    /**
     * One cluster for every test class of this JVM that asks for it, started on the first call and stopped (and
     * deleted) by its shutdown hook when the JVM exits. Do not register it as an extension.
     */
    public static synchronized PostgresServer shared() throws IOException, InterruptedException {
        if (shared == null) {
            PostgresServer server = new PostgresServer();
            server.start();
            shared = server;
        }
        return shared;
    }

    /** Creates a new, empty database with a random name in this cluster; returns its JDBC URL (as {@link #url()}). */
    public String createDatabase() throws SQLException {
        String name = "parley_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public int port() {
        return port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (dir != null) {
            return; // already running for an enclosing class
        }
        start();
    }

    private void start() throws IOException, InterruptedException {
        bin = findBin();
        asRoot = "root".equals(System.getProperty("user.name"));
        dir = Files.createTempDirectory("parley-pg-");
        if (asRoot) {
            giveTo(dir, OS_USER);
        }
        Path data = dir.resolve("data");
        run(60, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "parley", "-E", "UTF8",
                "--locale=C", "--locale-provider=icu", "--icu-locale=en-US", "--no-sync", "--no-instructions");
        port = freePort();
        String options = "-k " + dir + " -p " + port + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off";
        shutdownHook = new Thread(this::stopQuietly, "stop-test-postgres");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", options, "start");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getParent().flatMap(ExtensionContext::getParent).isEmpty()) { // the top-level class only
            stopQuietly();
            if (shutdownHook != null) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
                shutdownHook = null;
            }
        }
    }

    private synchronized void stopQuietly() {
        if (dir == null) {
            return;
        }
        try {
            run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "stop");
        } catch (Exception e) {
            System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
        dir = null;
    }

    private static Path findBin() throws IOException {
        String override = System.getenv("PARLEY_PG_BIN");
        if (override != null && Files.isExecutable(Path.of(override, "initdb"))) {
            return Path.of(override);
        }
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
                for (Path v : versions) {
                    if (Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/pg_ctl"))) {
                        found.add(v.resolve("bin"));
                    }
                }
            }
        }
        return found.stream().max(Comparator.comparingInt(PostgresServer::majorVersion)).orElseThrow(() ->
                new IllegalStateException("the PostgreSQL integration tests need the PostgreSQL server binaries"
                        + " (initdb, pg_ctl), which were not found in /usr/lib/postgresql/<version>/bin: install the"
                        + " Debian package 'postgresql' (apt-get install postgresql), or set PARLEY_PG_BIN to the"
                        + " directory that holds initdb"));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void giveTo(Path path, String user) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner;
        GroupPrincipal group;
        try {
            owner = lookup.lookupPrincipalByName(user);
            group = lookup.lookupPrincipalByGroupName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and there is no '" + user + "' OS"
                    + " user to run it as: install the Debian package 'postgresql' (which creates it) or run the"
                    + " tests as an ordinary user", e);
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(owner);
        view.setGroup(group);
    }

    private void run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (asRoot) {
            argv.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).directory(dir.toFile()).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            String log = "";
            Path serverLog = dir.resolve("server.log");
            if (Files.isReadable(serverLog)) {
                log = "\nserver.log:\n" + Files.readString(serverLog);
            }
            throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "):\n"
                    + new String(output, StandardCharsets.UTF_8) + log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
