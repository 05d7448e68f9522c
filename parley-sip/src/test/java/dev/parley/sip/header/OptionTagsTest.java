package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;

/** Require, Proxy-Require, Supported, Unsupported (RFC 3261 §20.32, §20.29, §20.37, §20.40) and Allow (§20.5). */
class OptionTagsTest {

    @Test
    void rfc3261_20_32_requireList() {
        assertThat(HeaderType.REQUIRE.parseList("100rel, timer")).containsExactly("100rel", "timer");
        assertThat(HeaderType.PROXY_REQUIRE.parseList("foo")).containsExactly("foo");
    }

    @Test
    void rfc3261_20_37_supportedWithOddSpacing() {
        assertThat(HeaderType.SUPPORTED.parseList(" replaces ,100rel,  timer , path"))
                .containsExactly("replaces", "100rel", "timer", "path");
    }

    @Test
    void rfc3261_20_40_unsupported() {
        assertThat(HeaderType.UNSUPPORTED.parseList("foo")).containsExactly("foo");
    }

    @Test
    void rfc3261_20_5_allowExample() {
        assertThat(HeaderType.ALLOW.parseList("INVITE, ACK, OPTIONS, CANCEL, BYE"))
                .containsExactly("INVITE", "ACK", "OPTIONS", "CANCEL", "BYE");
    }

    @Test
    void rfc3261_20_37_emptySupportedIsAnEmptyList() {
        // Supported = ( "Supported" / "k" ) HCOLON [option-tag *(COMMA option-tag)]
        assertThat(HeaderType.SUPPORTED.parseList("")).isEmpty();
        assertThat(HeaderType.SUPPORTED.parseList("  ")).isEmpty();
    }

    @Test
    void rfc3261_20_5_emptyAllowIsAnEmptyList() {
        // Allow = "Allow" HCOLON [Method *(COMMA Method)]
        assertThat(HeaderType.ALLOW.parseList("")).isEmpty();
    }

    @Test
    void rfc3261_20_32_requireMustNotBeEmpty() {
        // Require = "Require" HCOLON option-tag *(COMMA option-tag)
        assertThatThrownBy(() -> HeaderType.REQUIRE.parseList("")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.UNSUPPORTED.parseList("")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void malformedOptionTagListsAreSyntaxErrors() {
        assertThatThrownBy(() -> HeaderType.REQUIRE.parseList("100rel,,timer")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.SUPPORTED.parseList("100rel timer")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.ALLOW.parseList("INVITE,")).isInstanceOf(SipSyntaxException.class);
    }
}
