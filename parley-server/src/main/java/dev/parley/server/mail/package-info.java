/**
 * The {@link dev.parley.pbx.account.Mailer} adapters: {@link dev.parley.server.mail.SmtpMailer} (Jakarta Mail over
 * SMTP, settings {@code mail.*}) and {@link dev.parley.server.mail.LogMailer} (no SMTP server configured: the admin
 * reads the links in the log). Depends on parley-pbx's account port, the server's config records, Jakarta Mail and
 * SLF4J.
 */
package dev.parley.server.mail;
