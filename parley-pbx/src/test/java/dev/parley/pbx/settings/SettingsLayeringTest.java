package dev.parley.pbx.settings;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * {@code settings} and {@code contacts} are leaves beside {@code directory}: values, ports and pure rules that the
 * call path and the web API use, never the other way round, and no SIP, media, network or JDBC in them.
 */
class SettingsLayeringTest {
    private static final JavaClasses PBX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.parley.pbx");

    @Test
    void settingsAndContactsDependOnTheDirectoryAloneWithinThePbx() {
        noClasses().that().resideInAnyPackage("dev.parley.pbx.settings..", "dev.parley.pbx.contacts..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.pbx.call..",
                        "dev.parley.pbx.routing..", "dev.parley.pbx.registrar..", "dev.parley.pbx.auth..",
                        "dev.parley.pbx.media..", "dev.parley.pbx.presence..", "dev.parley.pbx.account..",
                        "dev.parley.pbx.webphone..", "dev.parley.pbx.cdr..", "dev.parley.pbx.security..")
                .check(PBX);
    }

    @Test
    void noSipNoMediaNoNettyNoJdbc() {
        noClasses().that().resideInAnyPackage("dev.parley.pbx.settings..", "dev.parley.pbx.contacts..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.sip..", "dev.parley.sipstack..",
                        "dev.parley.sdp..", "dev.parley.mediaapi..", "io.netty..", "java.sql..", "java.net..")
                .check(PBX);
    }

    @Test
    void contactsAndSettingsDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("dev.parley.pbx.contacts..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.pbx.settings..").check(PBX);
        noClasses().that().resideInAPackage("dev.parley.pbx.settings..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.pbx.contacts..").check(PBX);
    }
}
