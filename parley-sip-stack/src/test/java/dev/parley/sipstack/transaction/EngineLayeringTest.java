package dev.parley.sipstack.transaction;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The transaction and dialog engines are sans-I/O and lane-confined: no Netty, no sockets, no threads or locks; all
 * time through {@code Scheduler}. Transactions sit below dialogs.
 */
class EngineLayeringTest {
    private static final JavaClasses ENGINES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.sipstack.transaction", "dev.parley.sipstack.dialog");

    @Test
    void dependOnlyOnTheWireFormatTheFlowSpiAndCommon() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java.lang..", "java.util..", "java.time..", "java.security..", "java.net..",
                        "dev.parley.common..", "dev.parley.sip..", "dev.parley.sipstack.flow..",
                        "dev.parley.sipstack.transaction..", "dev.parley.sipstack.dialog..", "org.slf4j..")
                .because("protocol engines do no I/O and run on one lane (docs/architecture.md)")
                .check(ENGINES);
    }

    @Test
    void noThreadsLocksOrWallClock() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.util.concurrent..", "java.nio.channels..", "java.io..")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .because("the layer is confined to its lane and reads time from the Scheduler")
                .check(ENGINES);
    }

    @Test
    void transactionsDoNotKnowDialogs() {
        noClasses().that().resideInAPackage("dev.parley.sipstack.transaction..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.sipstack.dialog..")
                .check(ENGINES);
    }
}
