package dev.parley.pbx.account;

import java.util.Objects;

/**
 * Port: sends an email. Implemented by {@code parley-server} (SMTP with Jakarta Mail, or, with no SMTP server
 * configured, a line in the log for the admin). Calls block until the server took the message; run them off
 * request threads. Thread-safe.
 */
@FunctionalInterface
public interface Mailer {

    /**
     * One plain-text message.
     *
     * @param to one address, already {@link dev.parley.pbx.directory.User#normalizeEmail normalized}
     */
    record Message(String to, String subject, String text) {
        public Message {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(text, "text");
        }

        /** Never the text: it carries single-use links. */
        @Override
        public String toString() {
            return "Message[to=" + to + ", subject=" + subject + "]";
        }
    }

    /**
     * Sends {@code message}.
     *
     * @throws RuntimeException when the mail server refused it or could not be reached; the message says which
     *     setting to check and never contains the text
     */
    void send(Message message);
}
