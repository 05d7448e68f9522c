package dev.parley.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The store adapts the PBX ports to JDBC and nothing else: no network stack, no web, no server wiring. */
class LayeringTest {
    private static final JavaClasses STORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.store");

    @Test
    void storeDependsOnPortsAndJdbcOnly() {
        noClasses().that().resideInAPackage("dev.parley.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "dev.parley.web..",
                        "dev.parley.server..", "dev.parley.media..", "dev.parley.sipstack.transaction..",
                        "dev.parley.sipstack.transport..")
                .check(STORE);
    }

    @Test
    void storeDoesNotReachIntoThePbxBehaviour() {
        noClasses().that().resideInAPackage("dev.parley.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx.auth..",
                        "dev.parley.pbx.registrar.memory..", "dev.parley.pbx.directory.memory..")
                .check(STORE);
    }
}
