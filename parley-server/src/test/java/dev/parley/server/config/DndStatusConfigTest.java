package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pbx.dnd-status}: 486 by default, 480 allowed, anything else refused naming the setting and the fix. */
class DndStatusConfigTest {
    @TempDir
    Path dir;

    private ParleyConfig load(Map<String, String> env) {
        return new ConfigLoader(env, dir).load(null, List.of());
    }

    @Test
    void defaultsTo486AndReachesThePbx() {
        ParleyConfig c = load(Map.of());
        assertThat(c.pbx().dndStatus()).isEqualTo(486);
        assertThat(c.pbxConfig().dndStatus()).isEqualTo(486);
    }

    @Test
    void takes480FromTheEnvironmentOrTheFile() throws Exception {
        assertThat(load(Map.of("PARLEY_PBX_DND_STATUS", "480")).pbxConfig().dndStatus()).isEqualTo(480);
        Files.writeString(dir.resolve("parley.yml"), "pbx:\n  dnd-status: 480\n");
        assertThat(load(Map.of()).pbx().dndStatus()).isEqualTo(480);
    }

    @Test
    void refusesAnythingElseNamingTheSettingAndTheChoices() {
        for (String bad : new String[] {"603", "200", "busy", "-486"}) {
            assertThatThrownBy(() -> load(Map.of("PARLEY_PBX_DND_STATUS", bad))).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("pbx.dnd-status: ")
                    .hasMessageContaining("use 486 (Busy Here, the default) or 480 (Temporarily Unavailable)")
                    .hasMessageContaining("PARLEY_PBX_DND_STATUS");
        }
    }
}
