package dev.parley.server.mail;

import dev.parley.pbx.account.Mailer;
import dev.parley.server.config.ParleyConfig;
import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends mail through one SMTP server with Jakarta Mail (Eclipse Angus).
 *
 * <table>
 *   <caption>{@code mail.security}</caption>
 *   <tr><th>value</th><th>what</th></tr>
 *   <tr><td>{@code starttls} (default, port 587)</td><td>RFC 3207 STARTTLS, required: a server that does not offer
 *       it is refused rather than sent the message in clear</td></tr>
 *   <tr><td>{@code tls} (port 465)</td><td>implicit TLS (RFC 8314 §3.3)</td></tr>
 *   <tr><td>{@code none} (port 25)</td><td>plain SMTP, for a relay on the same host or network</td></tr>
 * </table>
 *
 * <p>With TLS the server's certificate is checked against the JVM's trust store and its name against
 * {@code mail.smtp-host}. Authentication (RFC 4954) only when {@code mail.smtp-username} is set. Timeouts of 10 s
 * for connecting, reading and writing, so a dead server does not hold a thread for long.
 */
public final class SmtpMailer implements Mailer {
    private static final String TIMEOUT_MILLIS = "10000";
    private final ParleyConfig.Mail settings;
    private final String from;
    private final Session session;

    /** @param from the sender address ({@link ParleyConfig#mailFrom()}) */
    public SmtpMailer(ParleyConfig.Mail settings, String from) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.from = Objects.requireNonNull(from, "from");
        Objects.requireNonNull(settings.smtpHost(), "mail.smtp-host");
        boolean implicitTls = settings.security() == ParleyConfig.Mail.Security.TLS;
        String p = implicitTls ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put("mail.transport.protocol", implicitTls ? "smtps" : "smtp");
        props.put(p + "host", settings.smtpHost());
        props.put(p + "port", Integer.toString(settings.effectivePort()));
        props.put(p + "connectiontimeout", TIMEOUT_MILLIS);
        props.put(p + "timeout", TIMEOUT_MILLIS);
        props.put(p + "writetimeout", TIMEOUT_MILLIS);
        props.put(p + "from", from);
        if (settings.security() == ParleyConfig.Mail.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (settings.security() != ParleyConfig.Mail.Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
            props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
        }
        Authenticator auth = null;
        if (settings.smtpUsername() != null) {
            props.put(p + "auth", "true");
            String user = settings.smtpUsername();
            String password = settings.smtpPassword() == null ? "" : settings.smtpPassword();
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(props, auth);
    }

    @Override
    public void send(Message message) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(from, true));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(message.to(), true));
            m.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            m.setText(message.text(), StandardCharsets.UTF_8.name());
            m.setSentDate(new Date());
            Transport.send(m);
        } catch (MessagingException e) {
            // the exception's text is the server's answer or the network error, never the message body
            throw new IllegalStateException("the SMTP server " + settings.smtpHost() + ":" + settings.effectivePort()
                    + " did not take the mail (" + e.getMessage() + "); check mail.smtp-host, mail.smtp-port,"
                    + " mail.security and the credentials", e);
        }
    }
}
