package dev.parley.server.it;

import dev.parley.server.cli.CliEnvironment;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.runtime.PbxWiring;
import dev.parley.server.runtime.Server;
import dev.parley.server.store.Stores;
import dev.parley.server.tls.TlsMaterial;
import dev.parley.sipstack.flow.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Parley, as {@code ./parley run} builds it (production store and PBX wiring), started in this JVM on
 * 127.0.0.1 with ephemeral ports, and provisioned through the real management CLI. Settings come as
 * {@code PARLEY_*} environment entries, exactly as an operator would give them.
 */
public final class ParleyUnderTest implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> env;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Server server;
    private final String databaseUrl;
    private String cliOutput = "";

    private ParleyUnderTest(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
        ParleyConfig config = loader().load(null, List.of());
        this.databaseUrl = config.databaseUrl();
        TlsMaterial tls = TlsMaterial.forConfig(config, Clock.systemUTC());
        this.server = new Server(config, tls, Stores.production(), PbxWiring.standard(),
                new PrintStream(console, true, StandardCharsets.UTF_8), Clock.systemUTC());
    }

    /**
     * Media port blocks: {@value #MEDIA_BLOCK} ports each (room for 125 anchored calls), below Linux's ephemeral
     * range (32768+) where the phones' own RTP ports come from. A server holds its block through an exclusive lock
     * on {@code /tmp/parley-it-media-<block>.lock} for as long as it runs, so servers of other test JVMs on the
     * machine (parallel builds) take other blocks: a loopback capture of a block sees one server's calls only.
     * The block's first port is the server's shared WebRTC port ({@code media.webrtc-port} auto), so the browser
     * tests run the shared-port mode, as a default installation does.
     */
    private static final int MEDIA_BLOCK = 500;
    private static final int MEDIA_BLOCKS = (32_500 - 20_000) / MEDIA_BLOCK;
    private static final AtomicInteger NEXT_MEDIA_BLOCK = new AtomicInteger(
            java.util.concurrent.ThreadLocalRandom.current().nextInt(MEDIA_BLOCKS));

    /** A media block held by this JVM: its first port and the lock that keeps other JVMs off it. */
    private record MediaBlock(int first, FileChannel channel, FileLock lock) {
        static MediaBlock take() {
            for (int attempt = 0; attempt < MEDIA_BLOCKS; attempt++) {
                int block = Math.floorMod(NEXT_MEDIA_BLOCK.getAndIncrement(), MEDIA_BLOCKS);
                Path file = Path.of(System.getProperty("java.io.tmpdir"), "parley-it-media-" + block + ".lock");
                try {
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock;
                    try {
                        lock = channel.tryLock();
                    } catch (OverlappingFileLockException heldHere) {
                        lock = null;
                    }
                    int first = 20_000 + block * MEDIA_BLOCK;
                    if (lock != null && firstPortFree(first)) {
                        return new MediaBlock(first, channel, lock);
                    }
                    if (lock != null) {
                        lock.release();
                    }
                    channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot lock " + file, e);
                }
            }
            throw new IllegalStateException("every media port block of 20000-32499 is held by another test server or its first port by another process");
        }

        /**
         * The block's first port is the server's shared WebRTC port, which it must bind; a process that does not
         * take the lock files (a benchmark, another program) may hold it, and then the next block is used.
         */
        private static boolean firstPortFree(int port) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(port))) {
                return true;
            } catch (SocketException taken) {
                return false;
            }
        }

        void release() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the JVM anyway
            }
        }
    }

    private MediaBlock mediaBlock;

    /** Starts Parley in {@code dir} (its data goes to {@code dir/data}); {@code settings} are PARLEY_* entries. */
    public static ParleyUnderTest start(Path dir, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_SIP_BIND_ADDRESS", "127.0.0.1");
        env.put("PARLEY_SIP_ADVERTISED_HOST", "127.0.0.1");
        env.put("PARLEY_SIP_UDP_PORT", "0");
        env.put("PARLEY_SIP_TCP_PORT", "0");
        env.put("PARLEY_SIP_TLS_PORT", "0");
        env.put("PARLEY_WEB_HTTPS_PORT", "0");
        MediaBlock block = MediaBlock.take();
        env.put("PARLEY_MEDIA_PORT_MIN", Integer.toString(block.first()));
        env.put("PARLEY_MEDIA_PORT_MAX", Integer.toString(block.first() + MEDIA_BLOCK - 1));
        env.putAll(settings);
        try {
            ParleyUnderTest p = new ParleyUnderTest(dir, Map.copyOf(env));
            p.mediaBlock = block;
            p.server.start();
            return p;
        } catch (RuntimeException | Error e) {
            block.release();
            throw e;
        }
    }

    private ConfigLoader loader() {
        return new ConfigLoader(env, dir);
    }

    public int port(Transport transport) {
        return server.boundPort(transport);
    }

    /** The HTTPS port (web, {@code /api}, SIP over WebSocket at {@code /ws}), or -1 when the web server is off. */
    public int httpsPort() {
        return server.httpsPort();
    }

    /** Free RTP/RTCP port pairs of the media plane: back to {@link #mediaPortPairs()} once every call ended. */
    public int freeMediaPortPairs() {
        return server.freeMediaPortPairs();
    }

    /**
     * How many port pairs the media plane has in all: the block but its first pair, where the shared WebRTC port
     * ({@code media.webrtc-port} auto: {@code port-min}) is, unless a test set it.
     */
    public int mediaPortPairs() {
        return (server.config().media().portMax() - server.config().media().relayPortMin() + 1) / 2;
    }

    /** The UDP port every browser leg shares (the first port of this server's block unless set), or -1 when off. */
    public int webRtcPort() {
        return server.config().media().effectiveWebRtcPort();
    }

    /** The server, for what the tests read directly (the live calls, the configuration). */
    public Server server() {
        return server;
    }

    public Path dir() {
        return dir;
    }

    /** The JDBC URL of this server's database (SQLite in {@code dir/data}, or {@code PARLEY_DATABASE_URL}). */
    public String databaseUrl() {
        return databaseUrl;
    }

    /** What the server printed (the first-start banner). */
    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /** Runs a management command ({@code ./parley user add ...}) against this server's database. */
    public int cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliEnvironment cliEnv = new CliEnvironment(loader(), Stores.production(), PbxWiring.standard(), ps, ps,
                Clock.systemUTC(), CliEnvironment.Lifecycle.JVM);
        int status = ParleyCommand.execute(cliEnv, args);
        cliOutput = out.toString(StandardCharsets.UTF_8);
        // The command wrote through a store of its own; the running server would see it at its next directory
        // version check (Stores.DIRECTORY_CHECK_INTERVAL), and a copy read just before the write (the presence
        // engine reads every few seconds) would refuse a phone registering at once. Tell the server, as its own
        // API does after a write.
        server.directoryChanged();
        return status;
    }

    public String cliOutput() {
        return cliOutput;
    }

    /** A user with one extension and one device whose SIP username and secret are given. */
    public void addPhone(String user, String extension, String sipUsername, String secret) {
        require(cli("user", "add", user), "user add " + user);
        require(cli("extension", "add", extension, "--user", user), "extension add " + extension);
        require(cli("device", "add", sipUsername, "--user", user, "--secret", secret), "device add " + sipUsername);
    }

    private void require(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException(what + " failed (" + status + "): " + cliOutput);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            if (mediaBlock != null) {
                mediaBlock.release();
                mediaBlock = null;
            }
        }
    }
}
