package dev.parley.pbx.registrar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency order of the PBX core: directory ← auth ← registrar, security beside them, no cycles. */
class CorePackagesLayeringTest {
    private static final JavaClasses PBX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.pbx");

    @Test
    void directoryDependsOnNoOtherPbxPackage() {
        noClasses().that().resideInAPackage("dev.parley.pbx.directory..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx.auth..",
                        "dev.parley.pbx.registrar..", "dev.parley.pbx.security..", "dev.parley.sip..",
                        "dev.parley.sipstack..")
                .check(PBX);
    }

    @Test
    void securityKnowsNothingOfSipMessagesOrThePbx() {
        noClasses().that().resideInAPackage("dev.parley.pbx.security..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx.auth..",
                        "dev.parley.pbx.registrar..", "dev.parley.pbx.directory..", "dev.parley.sip..")
                .check(PBX);
    }

    @Test
    void authDoesNotReachUpToTheRegistrarOrDecideBans() {
        noClasses().that().resideInAPackage("dev.parley.pbx.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx.registrar..",
                        "dev.parley.pbx.security..")
                .check(PBX);
    }

    @Test
    void noNettyNoJdbc() {
        noClasses().that().resideInAnyPackage("dev.parley.pbx.directory..", "dev.parley.pbx.auth..",
                "dev.parley.pbx.registrar..", "dev.parley.pbx.security..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "java.sql..")
                .check(PBX);
    }
}
