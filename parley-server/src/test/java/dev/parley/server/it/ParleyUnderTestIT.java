package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sipstack.flow.Transport;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParleyUnderTestIT {
    @TempDir
    Path dir;

    @Test
    void startsOnEphemeralPortsAndProvisionsThroughTheCli() {
        try (ParleyUnderTest parley = ParleyUnderTest.start(dir, Map.of())) {
            assertThat(parley.port(Transport.UDP)).isPositive();
            assertThat(parley.console()).contains("username   admin");
            parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
            assertThat(parley.cli("device", "list")).isZero();
            assertThat(parley.cliOutput()).contains("alice-desk").doesNotContain("alice-secret-1234");
        }
    }
}
