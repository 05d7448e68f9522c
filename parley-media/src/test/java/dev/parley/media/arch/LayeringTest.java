package dev.parley.media.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * parley-media is the media plane: it serves parley-media-api with parley-rtp's protocols on Netty, and knows
 * nothing of SIP or the PBX (docs/architecture.md). Inside, the leaves use the JDK alone (port) or the JDK and
 * Concentus (codec), protect wraps parley-rtp's SRTP, webrtc puts parley-rtp's ICE-lite and DTLS engines in front
 * of a browser's leg, relay sits on those, and the service facade on top.
 */
class LayeringTest {
    private static final JavaClasses MEDIA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.media");

    @Test
    void neverReachesIntoTheControlPlaneOrSip() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.parley.pbx..", "dev.parley.sipstack..", "dev.parley.sip..",
                        "dev.parley.sdp..")
                .because("the PBX drives media through parley-media-api; media never calls back into SIP")
                .check(MEDIA);
    }

    @Test
    void dependsOnItsApiRtpCommonNettyAndSlf4jOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.parley.media..", "dev.parley.mediaapi..", "dev.parley.rtp..",
                        "dev.parley.common..", "io.netty..", "org.slf4j..", "io.github.jaredmdobson.concentus..")
                .check(MEDIA);
    }

    @Test
    void leavesUseTheJdkAlone() {
        classes().that().resideInAnyPackage("dev.parley.media.port..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.parley.media.port..")
                .check(MEDIA);
        classes().that().resideInAnyPackage("dev.parley.media.codec..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.parley.media.codec..",
                        "io.github.jaredmdobson.concentus..")
                .because("codecs are the JDK plus Concentus (Opus), nothing of RTP or sockets")
                .check(MEDIA);
    }

    @Test
    void onlyTheRelayAndTheFacadeTouchNetty() {
        noClasses().that().resideInAnyPackage("dev.parley.media.port..", "dev.parley.media.codec..",
                        "dev.parley.media.protect..", "dev.parley.media.webrtc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
                .because("protection, codecs and the WebRTC coordinator are sans-I/O and testable without sockets")
                .check(MEDIA);
    }

    @Test
    void packagesFormLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("service").definedBy("dev.parley.media")
                .layer("relay").definedBy("dev.parley.media.relay..")
                .layer("webrtc").definedBy("dev.parley.media.webrtc..")
                .layer("protect").definedBy("dev.parley.media.protect..")
                .layer("codec").definedBy("dev.parley.media.codec..")
                .layer("port").definedBy("dev.parley.media.port..")
                .whereLayer("service").mayNotBeAccessedByAnyLayer()
                .whereLayer("relay").mayOnlyBeAccessedByLayers("service")
                .whereLayer("webrtc").mayOnlyBeAccessedByLayers("relay", "service")
                .whereLayer("protect").mayOnlyBeAccessedByLayers("relay", "webrtc", "service")
                .whereLayer("codec").mayOnlyBeAccessedByLayers("relay")
                .whereLayer("port").mayOnlyBeAccessedByLayers("service")
                .check(MEDIA);
    }
}
