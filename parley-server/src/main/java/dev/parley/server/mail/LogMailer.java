package dev.parley.server.mail;

import dev.parley.pbx.account.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With no {@code mail.smtp-host}: each message is written to the log at INFO, so the admin can pass the link on by
 * hand. Messages carry single-use links, never passwords; anyone who reads the server log could follow them, which
 * is why a configured SMTP server replaces this.
 */
public final class LogMailer implements Mailer {
    private static final Logger LOG = LoggerFactory.getLogger(LogMailer.class);

    @Override
    public void send(Message message) {
        LOG.info("mail.smtp-host is not set, so this mail to {} was not sent; pass it on by hand:\nSubject: {}\n\n{}",
                message.to(), message.subject(), message.text());
    }
}
