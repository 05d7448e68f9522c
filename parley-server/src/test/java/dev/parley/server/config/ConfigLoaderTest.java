package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.account.ClosedAccountCalls;
import dev.parley.pbx.security.AddressBlock;
import dev.parley.sip.auth.DigestAlgorithm;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private ParleyConfig load(Map<String, String> env, List<ConfigLoader.Override> overrides) {
        return new ConfigLoader(env, dir).load(null, overrides);
    }

    private ParleyConfig yaml(String text) throws IOException {
        Files.writeString(dir.resolve("parley.yml"), text);
        return load(Map.of(), List.of());
    }

    private String yamlError(String text) throws IOException {
        Files.writeString(dir.resolve("parley.yml"), text);
        try {
            load(Map.of(), List.of());
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigException for " + text);
    }

    private String envError(Map<String, String> env) {
        try {
            load(env, List.of());
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigException for " + env);
    }

    @Test
    void withoutFileOrEnvironmentTheDefaultsApply() throws Exception {
        ParleyConfig c = load(Map.of(), List.of());

        assertThat(c.sip().bindAddress()).isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(c.sip().advertisedHost()).isNull();
        assertThat(List.of(c.sip().udpPort(), c.sip().tcpPort(), c.sip().tlsPort())).containsExactly(5060, 5060, 5061);
        assertThat(c.web()).isEqualTo(new ParleyConfig.Web(null, 8443, -1));
        assertThat(c.webBindAddress()).isEqualTo(c.sip().bindAddress());
        assertThat(c.media().portMin()).isEqualTo(20000);
        assertThat(c.media().portMax()).isEqualTo(29999);
        assertThat(c.dataDirectory()).isEqualTo(dir.resolve("data"));
        assertThat(c.certificatePath()).isEqualTo(dir.resolve("data/tls/cert.pem"));
        assertThat(c.keyPath()).isEqualTo(dir.resolve("data/tls/key.pem"));
        assertThat(c.tlsPathsAreDefault()).isTrue();
        assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("data/parley.db"));
        assertThat(c.secretKeyPath()).isEqualTo(dir.resolve("data/secret.key"));
        assertThat(c.realm()).isEqualTo("parley");
        assertThat(c.pbx().noAnswerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.pbxConfig().digestPolicy().algorithms()).containsExactly(DigestAlgorithm.SHA_256,
                DigestAlgorithm.MD5);
        assertThat(c.pbxConfig().noAnswerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.registrarPolicy().minExpires()).isEqualTo(60);
        assertThat(c.registrarPolicy().maxExpires()).isEqualTo(7200);
        assertThat(c.registrarPolicy().defaultExpires()).isEqualTo(3600);
        assertThat(c.registrarPolicy().maxContacts()).isEqualTo(10);
        assertThat(c.banPolicy().maxFailures()).isEqualTo(5);
        assertThat(c.banPolicy().window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.banPolicy().banDuration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.banPolicy().exempt()).isEmpty();
        assertThat(c.shutdown().drainDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.shutdown().retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void yamlSetsEverySection() throws Exception {
        ParleyConfig c = yaml("""
                sip:
                  bind-address: 127.0.0.1
                  advertised-host: pbx.example.com
                  udp-port: 5070
                  tcp-port: -1
                  tls-port: 0
                tls:
                  certificate: /etc/parley/cert.pem
                  key: keys/key.pem
                web:
                  bind-address: 127.0.0.2
                  https-port: 9443
                  http-redirect-port: 9080
                media:
                  port-min: 30000
                  port-max: 30999
                data:
                  directory: var/parley
                database:
                  url: jdbc:postgresql://db/parley
                  user: parley
                  password: "p@ss: word"
                pbx:
                  realm: example.com
                  digest-algorithms: [MD5, SHA-256]
                  no-answer-timeout: 45s
                  min-expires: 120
                  max-expires: 3600
                  default-expires: 600
                  max-contacts: 3
                security:
                  ban-threshold: 10
                  ban-window: 2m
                  ban-time: 1h
                  trusted-networks: [192.168.1.0/24, "2001:db8::/32", 10.0.0.1]
                shutdown:
                  drain-deadline: 0
                  retry-after: PT20S
                """);

        assertThat(c.sip().bindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(c.advertisedHost()).isEqualTo("pbx.example.com");
        assertThat(List.of(c.sip().udpPort(), c.sip().tcpPort(), c.sip().tlsPort())).containsExactly(5070, -1, 0);
        assertThat(c.certificatePath()).isEqualTo(Path.of("/etc/parley/cert.pem"));
        assertThat(c.keyPath()).isEqualTo(dir.resolve("keys/key.pem"));
        assertThat(c.tlsPathsAreDefault()).isFalse();
        assertThat(c.web().httpsPort()).isEqualTo(9443);
        assertThat(c.web().httpRedirectPort()).isEqualTo(9080);
        assertThat(c.webBindAddress()).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(c.media()).isEqualTo(new ParleyConfig.Media(30000, 30999));
        assertThat(c.dataDirectory()).isEqualTo(dir.resolve("var/parley"));
        assertThat(c.databaseUrl()).isEqualTo("jdbc:postgresql://db/parley");
        assertThat(c.database().user()).isEqualTo("parley");
        assertThat(c.database().password()).isEqualTo("p@ss: word");
        assertThat(c.realm()).isEqualTo("example.com");
        assertThat(c.pbx()).isEqualTo(new ParleyConfig.Pbx("example.com", List.of(DigestAlgorithm.MD5,
                DigestAlgorithm.SHA_256), Duration.ofSeconds(45), 120, 3600, 600, 3));
        assertThat(c.pbxConfig().digestPolicy().algorithms()).containsExactly(DigestAlgorithm.MD5,
                DigestAlgorithm.SHA_256);
        assertThat(c.pbxConfig().realm()).isEqualTo("example.com");
        assertThat(c.pbxConfig().drainRetryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.security().banThreshold()).isEqualTo(10);
        assertThat(c.security().banWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.security().banTime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.security().trustedNetworks()).containsExactly(AddressBlock.parse("192.168.1.0/24"),
                AddressBlock.parse("2001:db8::/32"), AddressBlock.parse("10.0.0.1/32"));
        assertThat(c.banPolicy().exempt()).hasSize(3);
        assertThat(c.shutdown()).isEqualTo(new ParleyConfig.Shutdown(Duration.ZERO, Duration.ofSeconds(20)));
    }

    @Test
    void emptyFileAndEmptyValuesMeanDefaults() throws Exception {
        assertThat(yaml("")).isEqualTo(load(Map.of(), List.of()));
        ParleyConfig c = yaml("sip:\n  advertised-host:\n  udp-port: ~\ntls:\n");
        assertThat(c.sip().advertisedHost()).isNull();
        assertThat(c.sip().udpPort()).isEqualTo(5060);
    }

    @Test
    void environmentOverridesYamlAndOptionsOverrideEnvironment() throws Exception {
        Files.writeString(dir.resolve("parley.yml"), "sip:\n  udp-port: 5070\n  tcp-port: 5071\n");
        ParleyConfig fromEnv = load(Map.of("PARLEY_SIP_UDP_PORT", "5080", "PARLEY_DATABASE_URL",
                "jdbc:sqlite:/tmp/x.db", "PARLEY_SECURITY_TRUSTED_NETWORKS", "10.0.0.0/8, 192.168.0.0/16",
                "HOME", "/root"), List.of());
        assertThat(fromEnv.sip().udpPort()).isEqualTo(5080);
        assertThat(fromEnv.sip().tcpPort()).isEqualTo(5071);
        assertThat(fromEnv.databaseUrl()).isEqualTo("jdbc:sqlite:/tmp/x.db");
        assertThat(fromEnv.security().trustedNetworks()).hasSize(2);

        ParleyConfig fromOption = load(Map.of("PARLEY_SIP_UDP_PORT", "5080"),
                List.of(new ConfigLoader.Override("sip.udp-port", "5090", "--sip-port")));
        assertThat(fromOption.sip().udpPort()).isEqualTo(5090);
    }

    @Test
    void environmentVariableNamesFollowSectionAndKey() {
        assertThat(Settings.environmentVariable("sip.udp-port")).isEqualTo("PARLEY_SIP_UDP_PORT");
        assertThat(Settings.environmentVariable("database.url")).isEqualTo("PARLEY_DATABASE_URL");
        assertThat(Settings.environmentVariable("shutdown.drain-deadline")).isEqualTo("PARLEY_SHUTDOWN_DRAIN_DEADLINE");
        for (String s : Settings.all()) {
            assertThat(Settings.settingOfVariable(Settings.environmentVariable(s))).contains(s);
        }
    }

    @Test
    void webSessionIdleTimeoutDefaultsToThirtyMinutesAndIsBounded() throws Exception {
        assertThat(load(Map.of(), List.of()).web().sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(load(Map.of("PARLEY_WEB_SESSION_IDLE_TIMEOUT", "45m"), List.of()).web().sessionIdleTimeout())
                .isEqualTo(Duration.ofMinutes(45));
        assertThat(yamlError("web:\n  session-idle-timeout: 5s\n")).startsWith("web.session-idle-timeout");
    }

    @Test
    void anEmptyEnvironmentVariableMeansTheDefault() throws Exception {
        Files.writeString(dir.resolve("parley.yml"), "sip:\n  advertised-host: pbx.example.com\n");
        assertThat(load(Map.of("PARLEY_SIP_ADVERTISED_HOST", ""), List.of()).sip().advertisedHost()).isNull();
    }

    @Test
    void theSipUdpReceiveBufferIsReadAndABadOneNamesTheSetting() throws Exception {
        assertThat(yaml("sip:\n  udp-receive-buffer: 8388608\n").sip().udpReceiveBuffer()).isEqualTo(8_388_608);
        assertThat(yaml("sip:\n  udp-port: 5070\n").sip().udpReceiveBuffer()).isEqualTo(4 << 20);
        assertThat(yamlError("sip:\n  udp-receive-buffer: 1000\n")).startsWith("sip.udp-receive-buffer: \"1000\" is"
                + " not allowed; use a whole number from 65536 to 1073741824 (bytes)");
    }

    @Test
    void aBadPortNamesTheSettingAndWhatIsAllowed() throws Exception {
        assertThat(yamlError("sip:\n  udp-port: \"70000\"\n")).startsWith(
                "sip.udp-port: \"70000\" is not a port; use 1-65535, 0 for any free port, or -1 to disable (in ");
        assertThat(yamlError("web:\n  https-port: eighty\n")).startsWith("web.https-port: \"eighty\" is not a port;");
        assertThat(yamlError("web:\n  https-port: -1\n  http-redirect-port: 80\n"))
                .startsWith("web.http-redirect-port (80) redirects to HTTPS, but web.https-port is -1");
        assertThat(envError(Map.of("PARLEY_SIP_TLS_PORT", "-2"))).isEqualTo("sip.tls-port: \"-2\" is not a port;"
                + " use 1-65535, 0 for any free port, or -1 to disable"
                + " (from environment variable PARLEY_SIP_TLS_PORT)");
        assertThatThrownBy(() -> load(Map.of(), List.of(new ConfigLoader.Override("sip.udp-port", "x", "--sip-port"))))
                .hasMessageEndingWith("(from option --sip-port)").hasMessageStartingWith("sip.udp-port: \"x\"");
    }

    @Test
    void anUnknownKeyListsTheValidKeysAndSuggestsTheClosest() throws Exception {
        String m = yamlError("sip:\n  udp_port: 5070\n");
        assertThat(m).startsWith("sip.udp_port: unknown setting (in ")
                .contains("the settings of sip are bind-address, advertised-host, udp-port, tcp-port, tls-port")
                .endsWith("(did you mean \"udp-port\"?)");
        assertThat(yamlError("pbx:\n  relm: x\n")).endsWith("(did you mean \"realm\"?)");
        assertThat(yamlError("pbx:\n  colour: blue\n")).doesNotContain("did you mean")
                .contains("the settings of pbx are realm, digest-algorithms, no-answer-timeout");
    }

    @Test
    void anUnknownSectionListsTheSections() throws Exception {
        assertThat(yamlError("sips:\n  udp-port: 1\n")).startsWith("sips: unknown section")
                .contains("the sections are sip, tls, web, media, data, database, pbx, security, shutdown")
                .endsWith("(did you mean \"sip\"?)");
        assertThat(yamlError("sip: 5060\n")).startsWith("sip: expected settings under it");
        assertThat(yamlError("- a\n- b\n")).contains("expected sections");
    }

    @Test
    void anUnknownParleyVariableIsAnErrorWithASuggestion() {
        assertThat(envError(Map.of("PARLEY_SIP_UDPPORT", "5070")))
                .startsWith("environment variable PARLEY_SIP_UDPPORT is not a Parley setting (did you mean"
                        + " \"PARLEY_SIP_UDP_PORT\"?)");
        assertThat(load(Map.of("PATH", "/bin", "PARLEYX", "1"), List.of()).sip().udpPort()).isEqualTo(5060);
    }

    @Test
    void invalidYamlNamesTheFileAndLine() throws Exception {
        String m = yamlError("sip:\n  udp-port: 5060\n   tcp-port: [\n");
        assertThat(m).contains("parley.yml:").contains("line ").contains("not valid YAML");
        assertThat(yamlError("sip:\n  udp-port: 1\n  udp-port: 2\n")).contains("Duplicate field 'udp-port'");
    }

    @Test
    void aListWhereOneValueBelongsIsAnError() throws Exception {
        assertThat(yamlError("sip:\n  udp-port: [1, 2]\n")).startsWith("sip.udp-port: expects one value, not a list");
        assertThat(yamlError("sip:\n  udp-port:\n    a: 1\n"))
                .startsWith("sip.udp-port: expected a value, not a mapping");
    }

    @Test
    void durationsAcceptSecondsUnitsAndIso() {
        assertThat(ConfigLoader.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigLoader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigLoader.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ConfigLoader.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ConfigLoader.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(ConfigLoader.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConfigLoader.parseDuration("soon")).isNull();
        assertThat(ConfigLoader.parseDuration("-5")).isNull();
    }

    @Test
    void badDurationsAndNumbersSayWhatIsAllowed() throws Exception {
        assertThat(yamlError("pbx:\n  no-answer-timeout: soon\n")).startsWith("pbx.no-answer-timeout: \"soon\" is"
                + " not a duration; use whole seconds (30) or a number with ms, s, m, h or d (500ms, 30s, 15m, 1h),"
                + " from 1s to 1h");
        assertThat(yamlError("pbx:\n  no-answer-timeout: 2h\n")).contains("is out of range");
        assertThat(yamlError("security:\n  ban-threshold: 0\n")).startsWith("security.ban-threshold: \"0\" is not"
                + " allowed; use a whole number from 1 to 1000 (failures)");
        assertThat(yamlError("pbx:\n  min-expires: 7200\n")).startsWith("pbx.min-expires: \"7200\"");
    }

    @Test
    void digestAlgorithmsAreCheckedOneByOne() throws Exception {
        assertThat(yamlError("pbx:\n  digest-algorithms: [SHA-256, SHA1]\n")).startsWith("pbx.digest-algorithms:"
                + " \"SHA1\" is not a Digest algorithm Parley offers; use one or more of SHA-256, MD5, SHA-512-256");
        assertThat(yamlError("pbx:\n  digest-algorithms: [MD5-sess]\n")).contains("\"MD5-sess\" is not a Digest");
        assertThat(yamlError("pbx:\n  digest-algorithms: [MD5, md5]\n")).contains("\"md5\" is listed twice");
        assertThat(yamlError("pbx:\n  digest-algorithms: []\n")).contains("leaves no algorithm to offer");
        assertThat(load(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256"), List.of()).pbx().digestAlgorithms())
                .containsExactly(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256);
    }

    @Test
    void crossFieldRulesNameBothSettings() throws Exception {
        assertThat(yamlError("pbx:\n  default-expires: 60000\n")).contains("pbx.default-expires (60000)")
                .contains("pbx.max-expires (7200)");
        assertThat(yamlError("media:\n  port-min: 30000\n  port-max: 20000\n"))
                .startsWith("media.port-min (30000) is above media.port-max (20000)");
    }

    @Test
    void addressesAndHostsAreChecked() throws Exception {
        assertThat(yamlError("sip:\n  bind-address: my-host\n")).startsWith("sip.bind-address: \"my-host\" is not an"
                + " IP address; use 0.0.0.0");
        assertThat(yaml("sip:\n  bind-address: \"::\"\n").sip().bindAddress().isAnyLocalAddress()).isTrue();
        assertThat(yamlError("sip:\n  advertised-host: \"sip://pbx:5060\"\n"))
                .startsWith("sip.advertised-host: \"sip://pbx:5060\" is not a host");
        assertThat(yaml("sip:\n  advertised-host: \"[2001:db8::1]\"\n").advertisedHost()).isEqualTo("2001:db8::1");
        assertThat(yamlError("security:\n  trusted-networks: [10.0.0.0/33]\n")).startsWith(
                "security.trusted-networks: \"10.0.0.0/33\" is not a network; use an address or a CIDR block");
        assertThat(yamlError("security:\n  trusted-networks: [lan]\n")).contains("\"lan\" is not a network");
        assertThat(yamlError("pbx:\n  realm: \"a b\"\n")).startsWith("pbx.realm: \"a b\" is not a realm");
    }

    @Test
    void anUnsupportedDatabaseUrlIsNamedWithoutEchoingItsSecrets() throws Exception {
        String m = yamlError("database:\n  url: \"jdbc:mysql://db/parley?password=hunter2\"\n");
        assertThat(m).startsWith("database.url: a URL starting \"jdbc:mysql:\" is not supported; use jdbc:sqlite:")
                .doesNotContain("hunter2");
        assertThat(yaml("database:\n  password: hunter2\n").database().toString()).doesNotContain("hunter2");
    }

    @Test
    void realmFollowsAConfiguredAdvertisedHostButNeverADetectedOne() throws Exception {
        assertThat(yaml("sip:\n  advertised-host: pbx.example.com\n").realm()).isEqualTo("pbx.example.com");
        assertThat(yaml("sip:\n  bind-address: 127.0.0.2\n").realm()).isEqualTo("parley");
    }

    @Test
    void advertisedHostIsTheBindAddressWhenSpecificAndDetectedWhenWildcard() throws Exception {
        assertThat(yaml("sip:\n  bind-address: 127.0.0.2\n").advertisedHost()).isEqualTo("127.0.0.2");
        Files.delete(dir.resolve("parley.yml"));
        String detected = load(Map.of(), List.of()).advertisedHost();
        assertThat(InetAddress.getByName(detected).isLoopbackAddress())
                .isEqualTo(Addresses.firstNonLoopbackIpv4().isEmpty());
    }

    @Test
    void mediaSettingsHaveDefaultsAndEveryBadValueNamesItsSetting() throws Exception {
        ParleyConfig d = load(Map.of("PARLEY_SIP_BIND_ADDRESS", "127.0.0.1"), List.of());
        assertThat(d.media().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.mediaBindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(d.mediaAdvertisedAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        ParleyConfig viaHost = load(Map.of("PARLEY_SIP_ADVERTISED_HOST", "203.0.113.7"), List.of());
        assertThat(viaHost.mediaAdvertisedAddress()).isEqualTo(InetAddress.getByName("203.0.113.7"));

        ParleyConfig c = yaml("""
                media:
                  bind-address: 127.0.0.2
                  advertised-address: 198.51.100.9
                  port-min: 40000
                  port-max: 40099
                  timeout: 5s
                """);
        assertThat(c.media()).isEqualTo(new ParleyConfig.Media(InetAddress.getByName("127.0.0.2"),
                InetAddress.getByName("198.51.100.9"), 40000, 40099, Duration.ofSeconds(5)));
        assertThat(c.mediaAdvertisedAddress()).isEqualTo(InetAddress.getByName("198.51.100.9"));

        assertThat(envError(Map.of("PARLEY_MEDIA_TIMEOUT", "0"))).startsWith("media.timeout: \"0\" is out of range")
                .contains("PARLEY_MEDIA_TIMEOUT");
        assertThat(envError(Map.of("PARLEY_MEDIA_ADVERTISED_ADDRESS", "0.0.0.0")))
                .startsWith("media.advertised-address: \"0.0.0.0\" is not an address phones can send media to");
        assertThat(envError(Map.of("PARLEY_MEDIA_ADVERTISED_ADDRESS", "pbx.example.com")))
                .startsWith("media.advertised-address:");
        assertThat(envError(Map.of("PARLEY_MEDIA_BIND_ADDRESS", "eth0"))).startsWith("media.bind-address:");
        assertThat(envError(Map.of("PARLEY_MEDIA_PORT_MIN", "30000", "PARLEY_MEDIA_PORT_MAX", "30001")))
                .contains("media.port-min").contains("media.port-max").contains("fewer than 4 ports");
    }

    @Test
    void theWebRtcPortIsTheFirstPortOfTheRangeUnlessSetAndConsentIsBounded() throws Exception {
        ParleyConfig d = load(Map.of(), List.of());
        assertThat(d.media().webRtcPort()).isNull();
        assertThat(d.media().effectiveWebRtcPort()).isEqualTo(20000);
        assertThat(d.media().relayPortMin()).as("RTP keeps even ports after the shared one").isEqualTo(20002);
        assertThat(d.media().webRtcConsentTimeout()).isEqualTo(Duration.ofSeconds(30));

        ParleyConfig off = load(Map.of("PARLEY_MEDIA_WEBRTC_PORT", "-1"), List.of());
        assertThat(off.media().effectiveWebRtcPort()).isEqualTo(ParleyConfig.DISABLED);
        assertThat(off.media().relayPortMin()).isEqualTo(20000);
        assertThat(load(Map.of("PARLEY_MEDIA_WEBRTC_PORT", "auto"), List.of()).media().effectiveWebRtcPort())
                .isEqualTo(20000);
        assertThat(load(Map.of("PARLEY_MEDIA_WEBRTC_PORT", "20000"), List.of()).media().relayPortMin())
                .as("port-min given explicitly is the same as auto").isEqualTo(20002);

        for (String bad : List.of("0", "80", "65536", "udp", "1.5")) {
            assertThat(envError(Map.of("PARLEY_MEDIA_WEBRTC_PORT", bad))).as(bad)
                    .startsWith("media.webrtc-port: \"" + bad + "\" is not allowed")
                    .contains("1024-65535").contains("-1").contains("PARLEY_MEDIA_WEBRTC_PORT");
        }
        assertThat(envError(Map.of("PARLEY_MEDIA_WEBRTC_PORT", "25000")))
                .startsWith("media.webrtc-port (25000) lies inside media.port-min (20000) to media.port-max (29999)");
        for (String bad : List.of("9s", "6m", "0", "soon")) {
            assertThat(envError(Map.of("PARLEY_MEDIA_WEBRTC_CONSENT_TIMEOUT", bad))).as(bad)
                    .startsWith("media.webrtc-consent-timeout: \"" + bad + "\"").contains("10s").contains("5m");
        }

        // last: the file stays for the rest of the test
        ParleyConfig fixed = yaml("""
                media:
                  port-min: 40000
                  port-max: 40099
                  webrtc-port: 3479
                  webrtc-consent-timeout: 12s
                """);
        assertThat(fixed.media().effectiveWebRtcPort()).isEqualTo(3479);
        assertThat(fixed.media().relayPortMin()).as("the whole range for calls").isEqualTo(40000);
        assertThat(fixed.media().webRtcConsentTimeout()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void configFileComesFromTheOptionThenTheVariableThenTheWorkingDirectory() throws Exception {
        Path other = Files.writeString(dir.resolve("other.yml"), "sip:\n  udp-port: 6000\n");
        Path third = Files.writeString(dir.resolve("third.yml"), "sip:\n  udp-port: 7000\n");
        Files.writeString(dir.resolve("parley.yml"), "sip:\n  udp-port: 8000\n");
        ConfigLoader withVariable = new ConfigLoader(Map.of("PARLEY_CONFIG", third.toString()), dir);

        assertThat(withVariable.load(other, List.of()).sip().udpPort()).isEqualTo(6000);
        assertThat(withVariable.load(null, List.of()).sip().udpPort()).isEqualTo(7000);
        assertThat(load(Map.of(), List.of()).sip().udpPort()).isEqualTo(8000);
    }

    @Test
    void aMissingExplicitConfigFileIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), dir).load(Path.of("nope.yml"), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--config: " + dir.resolve("nope.yml") + " does not exist");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("PARLEY_CONFIG", "gone.yml"), dir).load(null, List.of()))
                .hasMessageStartingWith("PARLEY_CONFIG: ");
    }

    @Test
    void mailSettingsAreReadWithTheirDefaultsAndThePasswordIsNeverShown() {
        ParleyConfig d = load(Map.of(), List.of());
        assertThat(d.mail()).isEqualTo(ParleyConfig.Mail.defaults());
        assertThat(d.mail().smtpHost()).as("no SMTP server: mail goes to the log").isNull();
        assertThat(d.mail().effectivePort()).isEqualTo(587);
        assertThat(d.web().requireTotpForAdmins()).isFalse();
        ParleyConfig c = load(Map.of("PARLEY_MAIL_SMTP_HOST", "smtp.example.com", "PARLEY_MAIL_SECURITY", "TLS",
                "PARLEY_MAIL_FROM", "pbx@example.com", "PARLEY_MAIL_SMTP_USERNAME", "pbx",
                "PARLEY_MAIL_SMTP_PASSWORD", "s3cret-value", "PARLEY_WEB_REQUIRE_TOTP_FOR_ADMINS", "true"), List.of());
        assertThat(c.mail()).isEqualTo(new ParleyConfig.Mail("smtp.example.com", null, "pbx@example.com", "pbx",
                "s3cret-value", ParleyConfig.Mail.Security.TLS));
        assertThat(c.mail().effectivePort()).isEqualTo(465);
        assertThat(c.mail().toString()).doesNotContain("s3cret-value");
        assertThat(c.mailFrom()).isEqualTo("pbx@example.com");
        assertThat(c.web().requireTotpForAdmins()).isTrue();
        assertThat(load(Map.of("PARLEY_SIP_ADVERTISED_HOST", "pbx.example.org"), List.of()).mailFrom())
                .isEqualTo("parley@pbx.example.org");
    }

    @Test
    void badMailSettingsNameTheSettingAndTheFix() {
        assertThat(envError(Map.of("PARLEY_MAIL_SECURITY", "ssl"))).startsWith("mail.security: \"ssl\"")
                .contains("starttls", "tls", "none");
        assertThat(envError(Map.of("PARLEY_MAIL_SMTP_PORT", "0"))).startsWith("mail.smtp-port: \"0\"");
        assertThat(envError(Map.of("PARLEY_MAIL_SMTP_HOST", "smtp://x"))).startsWith("mail.smtp-host:");
        assertThat(envError(Map.of("PARLEY_MAIL_FROM", "Parley <p@x>"))).startsWith("mail.from:");
        assertThat(envError(Map.of("PARLEY_MAIL_SMTP_USERNAME", "u"))).contains("mail.smtp-host");
        String clear = envError(Map.of("PARLEY_MAIL_SMTP_HOST", "smtp.example.com", "PARLEY_MAIL_SECURITY", "none",
                "PARLEY_MAIL_SMTP_USERNAME", "u", "PARLEY_MAIL_SMTP_PASSWORD", "pw-not-shown"));
        assertThat(clear).contains("mail.security", "starttls").doesNotContain("pw-not-shown");
        assertThat(envError(Map.of("PARLEY_WEB_REQUIRE_TOTP_FOR_ADMINS", "yes")))
                .startsWith("web.require-totp-for-admins: \"yes\"").contains("true or false");
    }

    @Test
    void closedAccountCallsAreAnonymizedByDefaultOrDeletedWhenSet() throws IOException {
        assertThat(load(Map.of(), List.of()).accounts().closedAccountCalls()).isEqualTo(ClosedAccountCalls.ANONYMIZE);
        assertThat(load(Map.of("PARLEY_ACCOUNTS_CLOSED_ACCOUNT_CALLS", "delete"), List.of()).accounts()
                .closedAccountCalls()).isEqualTo(ClosedAccountCalls.DELETE);
        assertThat(load(Map.of("PARLEY_ACCOUNTS_CLOSED_ACCOUNT_CALLS", "Anonymize"), List.of()).accounts()
                .closedAccountCalls()).isEqualTo(ClosedAccountCalls.ANONYMIZE);
        assertThat(yaml("accounts:\n  closed-account-calls: delete\n").accounts().closedAccountCalls())
                .isEqualTo(ClosedAccountCalls.DELETE);
    }

    @Test
    void aBadClosedAccountCallsPolicyNamesTheSettingAndBothValues() {
        assertThat(envError(Map.of("PARLEY_ACCOUNTS_CLOSED_ACCOUNT_CALLS", "keep")))
                .startsWith("accounts.closed-account-calls: \"keep\"").contains("anonymize", "delete");
    }
}
