package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void lowerCasingIgnoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr"));
            assertThat(Ascii.toLowerCase("INVITE")).isEqualTo("invite");
            assertThat(Ascii.toUpperCase("invite")).isEqualTo("INVITE");
            assertThat(Ascii.equalsIgnoreCase("Call-ID", "call-id")).isTrue();
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void unchangedStringsAreNotCopied() {
        String s = "already-lower";
        assertThat(Ascii.toLowerCase(s)).isSameAs(s);
    }

    @Test
    void caseInsensitiveHashAgreesWithEquality() {
        assertThat(Ascii.hashCodeIgnoreCase("Via")).isEqualTo(Ascii.hashCodeIgnoreCase("vIA"));
        assertThat(Ascii.equalsIgnoreCase("Via", "Vie")).isFalse();
        assertThat(Ascii.equalsIgnoreCase("Via", "Vi")).isFalse();
    }

    @Test
    void hexDigits() {
        assertThat(Ascii.hexValue('0')).isZero();
        assertThat(Ascii.hexValue('f')).isEqualTo(15);
        assertThat(Ascii.hexValue('F')).isEqualTo(15);
        assertThat(Ascii.hexValue('g')).isEqualTo(-1);
    }
}
