package dev.parley.sip.header;

import dev.parley.common.Ascii;
import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import java.util.Objects;

/** Content-Type (RFC 3261 §20.15): {@code m-type SLASH m-subtype *(SEMI m-parameter)}. */
public record MediaType(String type, String subtype, Parameters parameters) {
    public static final MediaType APPLICATION_SDP = new MediaType("application", "sdp", Parameters.EMPTY);

    public MediaType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subtype, "subtype");
        Objects.requireNonNull(parameters, "parameters");
    }

    public static MediaType parse(String value) {
        return HeaderType.CONTENT_TYPE.parseSingle(value);
    }

    static MediaType read(Cursor c) {
        String type = c.token();
        c.expectSeparator('/');
        String subtype = c.token();
        return new MediaType(type, subtype, c.headerParameters());
    }

    /** Type and subtype compare case-insensitively (RFC 2045 §5.1); parameters are not considered. */
    public boolean is(String type, String subtype) {
        return Ascii.equalsIgnoreCase(this.type, type) && Ascii.equalsIgnoreCase(this.subtype, subtype);
    }

    public boolean isSdp() {
        return is("application", "sdp");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32).append(type).append('/').append(subtype);
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
