package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import java.util.Objects;

/** Session-Expires (RFC 4028 §4): {@code delta-seconds *(SEMI se-params)}, se-params include refresher=uac/uas. */
public record SessionExpires(long seconds, Parameters parameters) {
    public SessionExpires {
        Objects.requireNonNull(parameters, "parameters");
    }

    static SessionExpires read(Cursor c) {
        return new SessionExpires(c.number(HeaderType.MAX_UINT32), c.headerParameters());
    }

    /** {@code uac}, {@code uas} or {@code null} when the refresher is not chosen yet. */
    public String refresher() {
        return parameters.value("refresher");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32).append(seconds);
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
