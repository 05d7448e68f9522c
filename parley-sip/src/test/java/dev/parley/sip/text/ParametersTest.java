package dev.parley.sip.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Generic parameters of URIs and header values (RFC 3261 §7.3.1, §25.1). */
class ParametersTest {

    private static Parameters read(String text) {
        return new Cursor(text).headerParameters();
    }

    @Test
    void rfc3261_25_1_genericParamsKeepOrderValuesAndBareFlags() {
        Parameters p = read(";branch=z9hG4bK776;rport;received=192.0.2.1");
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.asList()).containsExactly(
                new Parameters.Parameter("branch", "z9hG4bK776"),
                new Parameters.Parameter("rport", null),
                new Parameters.Parameter("received", "192.0.2.1"));
        assertThat(p.value("branch")).isEqualTo("z9hG4bK776");
        assertThat(p.has("rport")).isTrue();
        assertThat(p.value("rport")).isNull();
        assertThat(p.has("maddr")).isFalse();
        assertThat(p.value("maddr")).isNull();
        assertThat(p).hasToString(";branch=z9hG4bK776;rport;received=192.0.2.1");
    }

    @Test
    void rfc3261_7_3_1_namesCompareCaseInsensitively() {
        Parameters p = read(";Tag=AbC");
        assertThat(p.has("tag")).isTrue();
        assertThat(p.has("TAG")).isTrue();
        assertThat(p.value("tAg")).isEqualTo("AbC"); // values keep their case
        assertThat(p.without("TAG").isEmpty()).isTrue();
        assertThat(p.with("TAG", "x").asList()).containsExactly(new Parameters.Parameter("TAG", "x"));
        assertThat(read(";TAG=AbC")).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(read(";tag=abc")).isNotEqualTo(p);
    }

    @Test
    void rfc3261_25_1_whitespaceAroundSemicolonAndEquals() {
        Parameters p = read(" ; expires = 3600 ;  q=0.5");
        assertThat(p.value("expires")).isEqualTo("3600");
        assertThat(p.value("q")).isEqualTo("0.5");
        assertThat(p).hasToString(";expires=3600;q=0.5");
    }

    @Test
    void withReplacesInPlaceOrAppends() {
        Parameters p = read(";a=1;b=2");
        assertThat(p.with("a", "9")).hasToString(";a=9;b=2");
        assertThat(p.with("c", null)).hasToString(";a=1;b=2;c");
        assertThat(p).hasToString(";a=1;b=2"); // immutable
        assertThat(Parameters.EMPTY.with("lr", null)).hasToString(";lr");
    }

    @Test
    void withoutRemovesEveryParameterOfThatName() {
        Parameters p = read(";a=1;b=2;A=3");
        assertThat(p.without("a")).hasToString(";b=2");
        assertThat(p.without("zzz")).isSameAs(p);
        assertThat(p.value("a")).isEqualTo("1"); // the first of duplicates
    }

    @Test
    void rfc3261_25_1_quotedValueKeptAsWrittenUnquotedOnRequest() {
        Parameters p = read(";text=\"say \\\"hi\\\" \\\\ now\";n=plain");
        assertThat(p.value("text")).isEqualTo("\"say \\\"hi\\\" \\\\ now\"");
        assertThat(p.unquotedValue("text")).isEqualTo("say \"hi\" \\ now");
        assertThat(p.unquotedValue("n")).isEqualTo("plain");
        assertThat(p.unquotedValue("absent")).isNull();
        assertThat(p).hasToString(";text=\"say \\\"hi\\\" \\\\ now\";n=plain");
    }

    @Test
    void quotingRoundTrips() {
        String raw = "a \"quoted\" back\\slash";
        assertThat(Quoting.quote(raw)).isEqualTo("\"a \\\"quoted\\\" back\\\\slash\"");
        assertThat(Quoting.unquote(Quoting.quote(raw))).isEqualTo(raw);
        assertThat(Quoting.unquote("notquoted")).isEqualTo("notquoted");
    }

    @Test
    void rfc5118_ipv6ReferenceAsParameterValue() {
        Parameters p = read(";received=[2001:db8::9:255];maddr=[::1]");
        assertThat(p.value("received")).isEqualTo("[2001:db8::9:255]");
        assertThat(p.value("maddr")).isEqualTo("[::1]");
    }

    @Test
    void noParametersIsTheSharedEmptyInstance() {
        assertThat(read("")).isSameAs(Parameters.EMPTY);
        assertThat(read(", next")).isSameAs(Parameters.EMPTY);
        assertThat(Parameters.of(List.of())).isSameAs(Parameters.EMPTY);
    }
}
