package dev.parley.pbx.presence;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Presence sits on top of the call core: nothing in the PBX depends on it, and it touches no SIP stack, no JDBC. */
class PresenceLayeringTest {
    private static final JavaClasses PBX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.pbx");

    @Test
    void nothingInThePbxDependsOnPresence() {
        noClasses().that().resideOutsideOfPackage("dev.parley.pbx.presence..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.pbx.presence..")
                .check(PBX);
    }

    @Test
    void presenceUsesNoStackNoNettyNoJdbc() {
        noClasses().that().resideInAPackage("dev.parley.pbx.presence..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.sipstack..", "io.netty..",
                        "java.sql..", "dev.parley.pbx.auth..", "dev.parley.pbx.security..")
                .check(PBX);
    }
}
