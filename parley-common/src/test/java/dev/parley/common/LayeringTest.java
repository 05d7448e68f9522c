package dev.parley.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** parley-common is the bottom layer: every other module may use it, and it uses the JDK alone. */
class LayeringTest {
    private static final JavaClasses COMMON = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.common");

    @Test
    void dependsOnTheJdkOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.parley.common..")
                .check(COMMON);
    }
}
