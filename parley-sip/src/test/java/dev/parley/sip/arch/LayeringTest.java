package dev.parley.sip.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * parley-sip is the wire format: it sits just above parley-common and may import nothing else of Parley, no
 * Netty and no I/O. Inside, its packages form layers (docs/architecture.md): text, uri, header, message, codec,
 * with auth beside them depending on text alone.
 */
class LayeringTest {
    private static final JavaClasses SIP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.sip");

    @Test
    void dependsOnTheJdkAndParleyCommonOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.parley.common..", "dev.parley.sip..")
                .because("the wire format is the bottom of the SIP layers: no higher Parley module, no library")
                .check(SIP);
    }

    @Test
    void doesNoIo() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.channels..", "java.io..", "java.nio.file..")
                .because("parsers are sans-I/O: bytes in, values out")
                .check(SIP);
    }

    @Test
    void packagesFormLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("text").definedBy("dev.parley.sip.text..")
                .layer("uri").definedBy("dev.parley.sip.uri..")
                .layer("header").definedBy("dev.parley.sip.header..")
                .layer("message").definedBy("dev.parley.sip.message..")
                .layer("codec").definedBy("dev.parley.sip.codec..")
                .layer("auth").definedBy("dev.parley.sip.auth..")
                .whereLayer("codec").mayNotBeAccessedByAnyLayer()
                .whereLayer("message").mayOnlyBeAccessedByLayers("codec")
                .whereLayer("header").mayOnlyBeAccessedByLayers("message", "codec")
                .whereLayer("uri").mayOnlyBeAccessedByLayers("header", "message", "codec")
                .whereLayer("text").mayOnlyBeAccessedByLayers("uri", "header", "message", "codec", "auth")
                .whereLayer("auth").mayNotBeAccessedByAnyLayer()
                .check(SIP);
    }
}
