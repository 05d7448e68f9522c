package dev.parley.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * What {@code parley-web} may import: {@code parley-common}, {@code parley-pbx}, of {@code parley-sip-stack} the
 * flow SPI ({@code flow}) and the TLS profile ({@code tls}) only, Javalin/Jetty and the JDK; never Netty, the stack's engines, the store or the
 * media plane. Inside: {@code http} and {@code ws} do not know each other, and neither imports the root package;
 * {@code api} uses {@code session}, {@code session} knows no HTTP, and neither imports the root package.
 */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.web");

    @Test
    void onlyTheFlowSpiAndTheTlsProfileOfTheSipStack() {
        noClasses().should().dependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe("the SIP stack beyond its flow SPI",
                                c -> c.getPackageName().startsWith("dev.parley.sipstack")
                                        && !c.getPackageName().equals("dev.parley.sipstack.flow")
                                        && !c.getPackageName().equals("dev.parley.sipstack.tls")))
                .check(CLASSES);
    }

    @Test
    void noNettyNoStoreNoMedia() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.netty..", "dev.parley.store..",
                "dev.parley.media..", "dev.parley.mediaapi..", "dev.parley.server..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void apiUsesSessionButNotHttpWsOrTheRoot() {
        noClasses().that().resideInAPackage("dev.parley.web.api..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.parley.web.http..", "dev.parley.web.ws..").check(CLASSES);
        noClasses().that().resideInAnyPackage("dev.parley.web.api..", "dev.parley.web.session..").should()
                .dependOnClassesThat().resideInAPackage("dev.parley.web").check(CLASSES);
        noClasses().that().resideInAPackage("dev.parley.web.session..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.parley.web.api..", "io.javalin..", "org.eclipse.jetty..").check(CLASSES);
        noClasses().that().resideInAnyPackage("dev.parley.web.http..", "dev.parley.web.ws..").should()
                .dependOnClassesThat().resideInAnyPackage("dev.parley.web.api..", "dev.parley.web.session..")
                .check(CLASSES);
    }

    @Test
    void httpAndWsAreIndependentLeaves() {
        noClasses().that().resideInAPackage("dev.parley.web.http..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.parley.web.ws..").check(CLASSES);
        noClasses().that().resideInAPackage("dev.parley.web.ws..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.parley.web.http..").check(CLASSES);
        noClasses().that().resideInAnyPackage("dev.parley.web.http..", "dev.parley.web.ws..").should()
                .dependOnClassesThat().resideInAPackage("dev.parley.web").check(CLASSES);
    }
}
