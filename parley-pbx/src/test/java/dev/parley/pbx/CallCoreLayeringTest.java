package dev.parley.pbx;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The call core's order: Pbx (dispatcher) → call → media (anchoring) / routing → registrar/directory; no Netty, no
 * JDBC, and the media plane only through {@code parley-media-api}.
 */
class CallCoreLayeringTest {
    private static final JavaClasses PBX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.pbx");

    @Test
    void routingKnowsNothingOfCallsOrTheStack() {
        noClasses().that().resideInAPackage("dev.parley.pbx.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx.call..", "dev.parley.sipstack..",
                        "dev.parley.pbx.auth..", "dev.parley.pbx.security..")
                .check(PBX);
    }

    @Test
    void callsDoNotReachUpToTheDispatcherNorIntoAuthenticationOrBans() {
        noClasses().that().resideInAPackage("dev.parley.pbx.call..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx", "dev.parley.pbx.auth..",
                        "dev.parley.pbx.security..", "dev.parley.pbx.directory.memory..")
                .check(PBX);
    }

    @Test
    void thePbxDrivesMediaThroughTheApiNeverTheImplementation() {
        noClasses().that().resideInAPackage("dev.parley.pbx..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.media..", "dev.parley.rtp..")
                .check(PBX);
    }

    @Test
    void anchoringKnowsNothingOfCallsTheDispatcherOrTheDirectoryStore() {
        noClasses().that().resideInAPackage("dev.parley.pbx.media..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx", "dev.parley.pbx.call..",
                        "dev.parley.pbx.routing..", "dev.parley.pbx.registrar..", "dev.parley.pbx.auth..",
                        "dev.parley.pbx.directory.memory..", "io.netty..")
                .check(PBX);
    }

    @Test
    void noNettyNoJdbcInTheCallCore() {
        noClasses().that().resideInAnyPackage("dev.parley.pbx", "dev.parley.pbx.call..", "dev.parley.pbx.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "java.sql..")
                .check(PBX);
    }
}
