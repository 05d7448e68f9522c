package dev.parley.pbx.webphone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Browser phone provisioning sits on the directory and the registrar; calls, media and the web know nothing of it. */
class WebPhoneLayeringTest {
    private static final JavaClasses PBX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.pbx");

    @Test
    void webphoneUsesOnlyTheDirectoryAndTheRegistrar() {
        noClasses().that().resideInAPackage("dev.parley.pbx.webphone..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx.call..", "dev.parley.pbx.media..",
                        "dev.parley.pbx.routing..", "dev.parley.pbx.account..", "io.netty..", "java.sql..")
                .check(PBX);
    }

    @Test
    void nothingBelowDependsOnWebphone() {
        noClasses().that().resideInAnyPackage("dev.parley.pbx.directory..", "dev.parley.pbx.auth..",
                "dev.parley.pbx.registrar..", "dev.parley.pbx.call..", "dev.parley.pbx.routing..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.pbx.webphone..")
                .check(PBX);
    }
}
