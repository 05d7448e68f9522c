package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;

/** Event and Subscription-State (RFC 6665 §8.2.1, §8.2.3), Allow-Events (§8.2.2). */
class EventHeaderTest {

    @Test
    void rfc6665_8_2_1_eventWithId() {
        EventHeader e = HeaderType.EVENT.parseSingle("foo; id=1234");
        assertThat(e.type()).isEqualTo("foo");
        assertThat(e.id()).isEqualTo("1234");
        assertThat(e).hasToString("foo;id=1234");
        assertThat(HeaderType.EVENT.parseSingle(e.toString())).isEqualTo(e);
    }

    @Test
    void rfc6665_8_2_1_eventTemplateIsPartOfTheType() {
        EventHeader e = HeaderType.EVENT.parseSingle("presence.winfo");
        assertThat(e.type()).isEqualTo("presence.winfo");
        assertThat(e.id()).isNull();
        assertThat(e.parameters().isEmpty()).isTrue();
        assertThat(HeaderType.EVENT.parseSingle(e.toString())).isEqualTo(e);
    }

    @Test
    void rfc3515_2_4_4_referEventWithId() {
        EventHeader e = HeaderType.EVENT.parseSingle("refer;id=93809824");
        assertThat(e.type()).isEqualTo("refer");
        assertThat(e.id()).isEqualTo("93809824");
    }

    @Test
    void rfc6665_8_2_3_activeWithExpires() {
        SubscriptionState s = HeaderType.SUBSCRIPTION_STATE.parseSingle("active;expires=60");
        assertThat(s.state()).isEqualTo("active");
        assertThat(s.expires()).isEqualTo(60);
        assertThat(s.reason()).isNull();
        assertThat(s).hasToString("active;expires=60");
        assertThat(HeaderType.SUBSCRIPTION_STATE.parseSingle(s.toString())).isEqualTo(s);
    }

    @Test
    void rfc6665_8_2_3_terminatedWithReasonAndRetryAfter() {
        SubscriptionState s = HeaderType.SUBSCRIPTION_STATE.parseSingle("terminated ;reason=probation ;retry-after=30");
        assertThat(s.state()).isEqualTo("terminated");
        assertThat(s.reason()).isEqualTo("probation");
        assertThat(s.expires()).isEqualTo(-1);
        assertThat(s.parameters().value("retry-after")).isEqualTo("30");
        assertThat(s).hasToString("terminated;reason=probation;retry-after=30");
        assertThat(HeaderType.SUBSCRIPTION_STATE.parseSingle(s.toString())).isEqualTo(s);
    }

    @Test
    void rfc6665_8_2_3_badExpiresReadsAsAbsent() {
        assertThat(HeaderType.SUBSCRIPTION_STATE.parseSingle("pending;expires=soon").expires()).isEqualTo(-1);
        assertThat(HeaderType.SUBSCRIPTION_STATE.parseSingle("pending;expires=4294967296").expires()).isEqualTo(-1);
        assertThat(HeaderType.SUBSCRIPTION_STATE.parseSingle("pending;expires=4294967295").expires())
                .isEqualTo(4294967295L);
    }

    @Test
    void rfc6665_8_2_2_allowEventsIsAList() {
        assertThat(HeaderType.ALLOW_EVENTS.parseList("presence, dialog ,message-summary"))
                .containsExactly("presence", "dialog", "message-summary");
    }

    @Test
    void malformedEventIsASyntaxError() {
        assertThatThrownBy(() -> HeaderType.EVENT.parseSingle("")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.EVENT.parseSingle("foo bar")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.SUBSCRIPTION_STATE.parseSingle(";expires=1"))
                .isInstanceOf(SipSyntaxException.class);
    }
}
