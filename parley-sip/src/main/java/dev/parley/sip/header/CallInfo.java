package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.uri.Uri;
import dev.parley.sip.uri.UriParser;
import java.util.Objects;

/** Call-Info (RFC 3261 §20.9): {@code LAQUOT absoluteURI RAQUOT *( SEMI info-param )}, e.g. {@code purpose=icon}. */
public record CallInfo(Uri uri, Parameters parameters) {
    public CallInfo {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(parameters, "parameters");
    }

    static CallInfo read(Cursor c) {
        c.expect('<');
        int start = c.position();
        int end = c.text().indexOf('>', start);
        if (end < 0 || end > c.end()) {
            throw c.error("missing '>'");
        }
        Uri uri = UriParser.parse(c.text(), start, end);
        c.position(end + 1);
        return new CallInfo(uri, c.headerParameters());
    }

    public String purpose() {
        return parameters.value("purpose");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append('<');
        uri.appendTo(sb);
        sb.append('>');
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
