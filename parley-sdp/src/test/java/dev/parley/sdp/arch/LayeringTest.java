package dev.parley.sdp.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * parley-sdp is a wire format and a pure negotiation: JDK and parley-common only, no I/O (addresses stay text,
 * so no DNS either). Inside: attribute (typed values) below the model and codec in the root package, below
 * offeranswer.
 */
class LayeringTest {
    private static final JavaClasses SDP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.sdp");

    @Test
    void dependsOnTheJdkAndParleyCommonOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.parley.common..", "dev.parley.sdp..")
                .because("SDP sits just above parley-common: no other Parley module (not even the media API), "
                        + "no library")
                .check(SDP);
    }

    @Test
    void doesNoIo() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.channels..", "java.io..", "java.nio.file..")
                .because("parsers and offer/answer are sans-I/O: text in, values out; addresses are never resolved")
                .check(SDP);
    }

    @Test
    void packagesFormLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("attribute").definedBy("dev.parley.sdp.attribute..")
                .layer("model").definedBy("dev.parley.sdp")
                .layer("offeranswer").definedBy("dev.parley.sdp.offeranswer..")
                .whereLayer("offeranswer").mayNotBeAccessedByAnyLayer()
                .whereLayer("model").mayOnlyBeAccessedByLayers("offeranswer")
                .whereLayer("attribute").mayOnlyBeAccessedByLayers("model", "offeranswer")
                .check(SDP);
    }
}
