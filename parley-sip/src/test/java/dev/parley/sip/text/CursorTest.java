package dev.parley.sip.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lexical steps of RFC 3261 §25.1. */
class CursorTest {

    @Test
    void rfc3261_25_1_tokenStopsAtSeparators() {
        Cursor c = new Cursor("INVITE sip:x");
        assertThat(c.token()).isEqualTo("INVITE");
        assertThat(c.position()).isEqualTo(6);
        assertThat(c.peek()).isEqualTo(' ');
        assertThat(new Cursor("a-.!%*_+`'~z/").token()).isEqualTo("a-.!%*_+`'~z");
    }

    @Test
    void emptyTokenIsAnError() {
        assertThatThrownBy(() -> new Cursor("/x").token())
                .isInstanceOf(SipSyntaxException.class)
                .hasMessageContaining("expected a token");
        assertThat(new Cursor("/x").optionalToken()).isEmpty();
    }

    @Test
    void rfc3261_25_1_quotedStringWithEscapedQuoteIsReturnedAsWritten() {
        Cursor c = new Cursor("\"a \\\"b\\\" c\" rest");
        assertThat(c.quotedString()).isEqualTo("\"a \\\"b\\\" c\"");
        assertThat(c.rest()).isEqualTo(" rest");
    }

    @Test
    void unterminatedQuotedStringIsAnError() {
        assertThatThrownBy(() -> new Cursor("\"never closed").quotedString())
                .isInstanceOf(SipSyntaxException.class)
                .hasMessageContaining("unterminated");
        // an escaped closing quote does not close it
        assertThatThrownBy(() -> new Cursor("\"escaped\\\"").quotedString())
                .isInstanceOf(SipSyntaxException.class);
        // a backslash at the very end
        assertThatThrownBy(() -> new Cursor("\"x\\").quotedString())
                .isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc3261_25_1_crAndLfCannotAppearInAQuotedString() {
        assertThatThrownBy(() -> new Cursor("\"a\rb\"").quotedString()).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> new Cursor("\"a\\\nb\"").quotedString()).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void quotedStringMustStartWithAQuote() {
        assertThatThrownBy(() -> new Cursor("abc").quotedString()).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void numberHonoursItsMaximum() {
        assertThat(new Cursor("4294967295").number(0xFFFF_FFFFL)).isEqualTo(4294967295L);
        assertThatThrownBy(() -> new Cursor("4294967296").number(0xFFFF_FFFFL))
                .isInstanceOf(SipSyntaxException.class);
        // no overflow of long for absurdly long digit runs
        assertThatThrownBy(() -> new Cursor("99999999999999999999999999").number(0xFFFF_FFFFL))
                .isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> new Cursor("x1").number(10)).isInstanceOf(SipSyntaxException.class);
        Cursor c = new Cursor("70 rest");
        assertThat(c.number(255)).isEqualTo(70);
        assertThat(c.position()).isEqualTo(2);
    }

    @Test
    void rfc3261_25_1_separatorsTakeSurroundingWhitespace() {
        Cursor c = new Cursor("a \t/  b");
        c.token();
        assertThat(c.acceptSeparator(';')).isFalse();
        assertThat(c.position()).isEqualTo(1); // nothing consumed on failure
        assertThat(c.acceptSeparator('/')).isTrue();
        assertThat(c.token()).isEqualTo("b");
        assertThat(c.atEnd()).isTrue();
        assertThat(c.peek()).isEqualTo((char) 0);
    }

    @Test
    void expectEndAllowsTrailingWhitespaceOnly() {
        Cursor ok = new Cursor("x  \t");
        ok.token();
        ok.expectEnd();
        Cursor bad = new Cursor("x y");
        bad.token();
        assertThatThrownBy(bad::expectEnd).isInstanceOf(SipSyntaxException.class).hasMessageContaining("'y'");
    }

    @Test
    void boundedCursorStopsAtItsEnd() {
        Cursor c = new Cursor("abc;def", 0, 3);
        assertThat(c.token()).isEqualTo("abc");
        assertThat(c.atEnd()).isTrue();
        assertThat(c.headerParameters()).isSameAs(Parameters.EMPTY);
        assertThatThrownBy(c::next).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void syntaxErrorsAre400UnlessSaidOtherwise() {
        assertThat(new SipSyntaxException("x").status()).isEqualTo(400);
        assertThat(new SipSyntaxException(513, "x").status()).isEqualTo(513);
        assertThat(new SipSyntaxException("x").getStackTrace()).isEmpty();
    }
}
