package dev.parley.rtp.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * parley-rtp is sans-I/O media protocols: it imports the JDK and parley-common only, does no I/O and starts no
 * threads. Inside, the root package (RTP view, PacketBuffer) is the bottom; rtcp, event and srtp build on it and
 * not on each other; only srtp does cryptography.
 */
class LayeringTest {
    private static final JavaClasses RTP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.rtp");

    @Test
    void dependsOnTheJdkAndParleyCommonOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "dev.parley.common..", "dev.parley.rtp..")
                .because("media protocols sit just above parley-common: no Netty, no media plane, no library")
                .check(RTP);
    }

    @Test
    void doesNoIoAndStartsNoThreads() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.channels..", "java.io..", "java.nio.file..",
                        "java.util.concurrent..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .because("engines are sans-I/O: bytes in, bytes and statuses out, on the caller's thread")
                .check(RTP);
    }

    @Test
    void theRootPackageIsTheBottom() {
        noClasses().that().resideInAPackage("dev.parley.rtp")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.rtp.(*)..")
                .check(RTP);
    }

    @Test
    void rtcpEventAndSrtpDoNotDependOnEachOther() {
        for (String from : new String[] {"rtcp", "event", "srtp"}) {
            for (String to : new String[] {"rtcp", "event", "srtp"}) {
                if (!from.equals(to)) {
                    noClasses().that().resideInAPackage("dev.parley.rtp." + from + "..")
                            .should().dependOnClassesThat().resideInAPackage("dev.parley.rtp." + to + "..")
                            .allowEmptyShould(true)
                            .check(RTP);
                }
            }
        }
    }

    @Test
    void onlySrtpDoesCryptography() {
        noClasses().that().resideOutsideOfPackage("dev.parley.rtp.srtp..")
                .should().dependOnClassesThat().resideInAnyPackage("javax.crypto..", "java.security..")
                .check(RTP);
    }
}
