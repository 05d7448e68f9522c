package dev.parley.server.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.parley.pbx.account.Mailer;
import dev.parley.server.config.ParleyConfig;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SmtpMailer} against a real SMTP server (GreenMail, plain SMTP on an ephemeral port of 127.0.0.1): a
 * message arrives with its sender, subject and UTF-8 text; with {@code mail.security starttls} (the default) a
 * server that offers no STARTTLS Parley can trust gets nothing — STARTTLS is required, never skipped.
 */
@Timeout(60)
class SmtpMailerIT {
    private GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private ParleyConfig.Mail settings(ParleyConfig.Mail.Security security) {
        return new ParleyConfig.Mail("127.0.0.1", smtp.getSmtp().getPort(), null, null, null, security);
    }

    @Test
    void aMessageArrivesWithSenderSubjectAndText() throws Exception {
        new SmtpMailer(settings(ParleyConfig.Mail.Security.NONE), "pbx@parley.test").send(new Mailer.Message(
                "zoë@example.org".replace("ë", "e"), "Réinitialiser — Parley", "Lien : https://pbx/#reset=abc\n"));
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getFrom()[0].toString()).isEqualTo("pbx@parley.test");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("zoe@example.org");
        assertThat(m.getSubject()).isEqualTo("Réinitialiser — Parley");
        assertThat(m.getContent().toString().strip()).isEqualTo("Lien : https://pbx/#reset=abc");
    }

    @Test
    void starttlsIsRequiredNotOpportunistic() {
        SmtpMailer mailer = new SmtpMailer(settings(ParleyConfig.Mail.Security.STARTTLS), "pbx@parley.test");
        assertThatThrownBy(() -> mailer.send(new Mailer.Message("a@example.org", "s", "secret link")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + smtp.getSmtp().getPort())
                .hasMessageContaining("mail.security")
                .message().doesNotContain("secret link");
        assertThat(smtp.getReceivedMessages()).as("nothing crossed in clear").isEmpty();
    }
}
