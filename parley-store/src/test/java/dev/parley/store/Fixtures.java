package dev.parley.store;

import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.ReceivedFrom;
import dev.parley.pbx.security.AesGcmSecretCipher;
import dev.parley.pbx.security.SecretCipher;
import dev.parley.sip.header.Address;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/** Test values. Instants are whole milliseconds: the ports promise millisecond precision, no more. */
final class Fixtures {
    static final SecretCipher CIPHER = new AesGcmSecretCipher(new byte[32], new SecureRandom());
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    private Fixtures() {
    }

    /**
     * How many versioned migrations the store ships ({@code V<n>__*.sql} under {@code db/migration/common}): what a
     * freshly migrated database must have applied, whichever helper added the latest one.
     */
    static int migrationCount() {
        try {
            java.net.URI dir = Fixtures.class.getClassLoader().getResource("db/migration/common").toURI();
            if (dir.getScheme().equals("jar")) { // failsafe runs against the module's jar
                try (var jar = java.nio.file.FileSystems.newFileSystem(dir, java.util.Map.of())) {
                    return countMigrations(jar.provider().getPath(dir));
                }
            }
            return countMigrations(java.nio.file.Path.of(dir));
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int countMigrations(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        }
    }

    static User user(String name) {
        return new User(new UserId("u-" + name), name, "Display " + name);
    }

    /** A UDP binding behind NAT with no Path and no User-Agent. */
    static Binding binding(String aor, String contactUri, Instant expiresAt) {
        return new Binding(aor, Address.parse("<" + contactUri + ">"), "call-" + aor, 1, expiresAt, T0, List.of(),
                new ReceivedFrom(Transport.UDP, new InetSocketAddress("198.51.100.7", 40123),
                        new InetSocketAddress("192.0.2.1", 5060), "udp:198.51.100.7:40123"),
                new DeviceId("dev-" + aor), null);
    }

    /** A binding that uses every field: display name, parameters, two Path entries, IPv6, a WebSocket flow. */
    static Binding richBinding(String aor, String contactUri, Instant expiresAt) {
        Address contact = Address.parse("\"Desk \\\"phone\\\"\" <" + contactUri + ";transport=ws;ob>;q=0.7"
                + ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\";reg-id=1");
        return new Binding(aor, contact, "a84b4c76e66710@pc33.example.com", 4_294_967_295L, expiresAt,
                T0.plusMillis(1), List.of(Address.parse("<sip:edge1.example.com;lr>"),
                        Address.parse("\"Edge, two\" <sip:[2001:db8::9]:5061;transport=tls;lr>")),
                new ReceivedFrom(Transport.WSS, new InetSocketAddress("2001:db8::5", 50443),
                        new InetSocketAddress("::1", 8443), "wss:6b1f2c"),
                new DeviceId("dev-rich"), "Parley WebPhone/1.0 (Chromium; ü)");
    }
}
