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
 * not on each other; only srtp and dtls do cryptography.
 *
 * <p>One exception, kept to one package: {@code dtls} wraps Bouncy Castle's DTLS, whose only API blocks in
 * {@code DatagramTransport.receive} and throws {@code IOException}. It may use Bouncy Castle, {@code java.io}
 * exceptions and a virtual thread with a queue (see {@code DtlsSrtpSession}); it still opens no socket or file.
 */
class LayeringTest {
    private static final JavaClasses RTP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.rtp");

    private static final String DTLS = "dev.parley.rtp.dtls..";

    @Test
    void dependsOnTheJdkAndParleyCommonOnly() {
        classes().that().resideOutsideOfPackage(DTLS).should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "dev.parley.common..", "dev.parley.rtp..")
                .because("media protocols sit just above parley-common: no Netty, no media plane, no library")
                .check(RTP);
    }

    @Test
    void dtlsAddsBouncyCastleOnly() {
        classes().that().resideInAPackage(DTLS).should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.parley.rtp.dtls..", "dev.parley.rtp.srtp..", "org.bouncycastle..")
                .because("the DTLS engine is Bouncy Castle's handshake keyed into Parley's SRTP, nothing more")
                .check(RTP);
    }

    @Test
    void doesNoIoAndStartsNoThreads() {
        noClasses().that().resideOutsideOfPackage(DTLS).should().dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.channels..", "java.io..", "java.nio.file..",
                        "java.util.concurrent..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .because("engines are sans-I/O: bytes in, bytes and statuses out, on the caller's thread")
                .check(RTP);
    }

    @Test
    void dtlsOpensNoSocketOrFile() {
        noClasses().that().resideInAPackage(DTLS).should().dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.channels..", "java.nio.file..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().areAssignableTo(java.io.InputStream.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.io.OutputStream.class)
                .because("Bouncy Castle's blocking API is wrapped behind a queue, not a socket")
                .check(RTP);
    }

    @Test
    void theRootPackageIsTheBottom() {
        noClasses().that().resideInAPackage("dev.parley.rtp")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.rtp.(*)..")
                .check(RTP);
    }

    @Test
    void dtlsSitsAboveSrtpAndNothingDependsOnIt() {
        noClasses().that().resideOutsideOfPackage(DTLS)
                .should().dependOnClassesThat().resideInAPackage(DTLS)
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
    void onlySrtpAndDtlsDoCryptography() {
        noClasses().that().resideOutsideOfPackage("dev.parley.rtp.srtp..").and().resideOutsideOfPackage(DTLS)
                .and().resideOutsideOfPackage(STUN_HMAC)
                .should().dependOnClassesThat().resideInAnyPackage("javax.crypto..", "java.security..")
                .check(RTP);
    }

    /** STUN keys MESSAGE-INTEGRITY (HMAC-SHA1/-SHA256) and the long-term MD5 key: its one use of cryptography. */
    private static final String STUN_HMAC = "dev.parley.rtp.stun..";

    @Test
    void stunIsALeafAboveTheRoot() {
        noClasses().that().resideInAPackage("dev.parley.rtp.stun..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.rtp.rtcp..", "dev.parley.rtp.event..",
                        "dev.parley.rtp.srtp..", "dev.parley.rtp.ice..", "dev.parley.rtp.dtls..", "dev.parley.common..")
                .because("STUN is wire format: the root package's PacketBuffer and the JDK")
                .check(RTP);
        noClasses().that().resideInAnyPackage("dev.parley.rtp.rtcp..", "dev.parley.rtp.event..", "dev.parley.rtp.srtp..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.rtp.stun..")
                .check(RTP);
    }

    @Test
    void iceBuildsOnStunAndNothingButTheMediaPlaneUsesIt() {
        noClasses().that().resideInAPackage("dev.parley.rtp.ice..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.rtp.rtcp..", "dev.parley.rtp.event..",
                        "dev.parley.rtp.srtp..", "dev.parley.rtp.dtls..", "javax.crypto..", "java.security..")
                .because("the ICE-lite agent authenticates through stun.StunKey, not with its own cryptography")
                .check(RTP);
        noClasses().that().resideOutsideOfPackage("dev.parley.rtp.ice..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.rtp.ice..")
                .check(RTP);
    }

    @Test
    void iceAgentAndDemuxReadNoClock() {
        noClasses().that().resideInAnyPackage("dev.parley.rtp.ice..", "dev.parley.rtp.stun..")
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .because("time comes in through parley-common's Scheduler, so tests run consent in virtual time")
                .check(RTP);
    }
}
