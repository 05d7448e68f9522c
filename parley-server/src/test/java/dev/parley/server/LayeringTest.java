package dev.parley.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The composition root's own order: settings and material at the bottom ({@code config}, {@code tls},
 * {@code admin}, {@code store}), the running server above them ({@code runtime}), the command line on top
 * ({@code cli}), {@code Main} above all. No cycles between the packages.
 */
class LayeringTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.server");

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.parley.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void configKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("dev.parley.server.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.server.tls..",
                        "dev.parley.server.admin..", "dev.parley.server.store..", "dev.parley.server.runtime..",
                        "dev.parley.server.cli..", "dev.parley.store..", "dev.parley.sipstack..", "picocli..")
                .check(SERVER);
    }

    @Test
    void onlyTheCommandLineUsesPicocli() {
        noClasses().that().resideOutsideOfPackages("dev.parley.server.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(SERVER);
    }

    @Test
    void theRuntimeDoesNotKnowTheCommandLine() {
        noClasses().that().resideInAnyPackage("dev.parley.server.runtime..", "dev.parley.server.store..",
                        "dev.parley.server.tls..", "dev.parley.server.admin..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.server.cli..")
                .check(SERVER);
    }
}
