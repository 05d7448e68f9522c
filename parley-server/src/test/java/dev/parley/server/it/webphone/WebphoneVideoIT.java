package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video calls in the browser phone (issue 7), end to end with a real Parley and Debian's Chromium (driven by
 * {@code src/test/browser/webphone-video.mjs}). Alice's fake camera is solid red, bob's solid blue (Y4M files written
 * here), their microphones tones. Alice calls bob, he answers audio only; alice presses Video: her re-INVITE adds a
 * video m-line, Parley offers it to bob's browser on his leg (RFC 3264 §8) and relays VP8 between the two DTLS-SRTP
 * legs; bob's page decodes her frames and its remote video is red. Bob presses Video: alice sees blue. Alice presses
 * Video off (re-INVITE, video receive-only): bob's decoder stops and his page hides the remote video, while audio flows
 * both ways and alice still sees bob. Then alice's browser removes its video stream (transceiver stopped: port 0 in
 * its next re-INVITE, a Hold): Parley keeps bob's video m-line at port 0 (RFC 3264 §8.2), bob's browser takes the
 * offer, his camera goes off, and hold and resume go through with audio after. The padlock says encrypted on every
 * leg throughout; both calls leave CDRs. Carol,
 * whose browser refuses the camera, calls alice and presses Video: the call panel says why and the call keeps its
 * audio. Last, Parley's test page (JsSIP offering audio and video, signed in as carol) calls alice: her phone offers
 * "Answer with video" and "Answer audio only"; she answers with video and each side decodes the other's camera.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebphoneVideoIT {
    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;

    @Test
    void aliceAndBobSwitchVideoOnAndOffInAnAudioCall_andCarolWithoutACameraKeepsHerAudio() throws Exception {
        fixture = WebphoneFixture.startForJsSip(dir);
        WebphoneFixture.ThreeUsers users = fixture.addAliceBobCarol();

        JsonNode r = fixture.threePhones("webphone-video.mjs", users)
                .env("A_Y4M", solidY4m("red", 255, 0, 0).toString())
                .env("B_Y4M", solidY4m("blue", 0, 0, 255).toString())
                .env("D_Y4M", solidY4m("green", 0, 255, 0).toString())
                .run(Duration.ofSeconds(240));

        // an audio call offers no video to answer with, and carries none until someone presses Video
        assertThat(r.path("bAnswerButtons")).extracting(JsonNode::asText).containsExactly("Answer");
        assertThat(r.path("videoBeforeAnyPress").path("b").path("inboundVideo").isMissingNode()).isTrue();

        // alice's video reaches bob: decoded frames, and his remote <video> shows red
        System.out.println("bob sees alice: " + r.path("bSeesA") + "; alice sees bob: " + r.path("aSeesB"));
        assertThat(r.path("bSeesA").path("colour").path("r").asInt()).as("red at bob").isGreaterThan(150);
        assertThat(r.path("bSeesA").path("colour").path("b").asInt()).as("red at bob").isLessThan(100);
        assertThat(r.path("aSelfView").asInt()).as("alice's self view").isEqualTo(1);
        JsonNode whileSending = r.path("bWhileASends");
        int decoded = frames(whileSending.path("after")) - frames(whileSending.path("before"));
        assertThat(decoded).as("frames bob decoded in 3 s while alice sends").isGreaterThan(15);
        assertThat(whileSending.path("after").path("videoCodecs").toString()).contains("video/VP8");

        // bob's video reaches alice: blue; and alice's still reaches bob
        assertThat(r.path("aSeesB").path("colour").path("b").asInt()).as("blue at alice").isGreaterThan(150);
        assertThat(r.path("aSeesB").path("colour").path("r").asInt()).as("blue at alice").isLessThan(100);
        assertThat(r.path("bSeesAStill").path("r").asInt()).as("still red at bob").isGreaterThan(150);

        // encrypted on every leg (both browsers DTLS-SRTP), video or not
        assertThat(r.path("aPadlock").path("encrypted").asText()).isEqualTo("true");
        assertThat(r.path("bPadlock").path("encrypted").asText()).isEqualTo("true");
        assertThat(r.path("aPadlock").path("text").asText()).contains("Encrypted on every leg");

        // alice's Video off: bob decodes nothing more from her, audio goes on both ways, alice still sees bob
        JsonNode off = r.path("afterOff").path("b");
        JsonNode aliceOff = r.path("afterOff").path("a");
        int afterOff = frames(off.path("after")) - frames(off.path("before"));
        int sentOff = aliceOff.path("after").path("outboundVideo").path("framesSent").asInt()
                - aliceOff.path("before").path("outboundVideo").path("framesSent").asInt();
        System.out.println("after video off, in 3 s: bob decoded " + afterOff + " frames, alice sent " + sentOff
                + "; bob " + off + "; alice " + aliceOff);
        assertThat(afterOff).as("frames bob decoded in 3 s after alice's Video off").isLessThanOrEqualTo(2);
        assertThat(sentOff).as("frames alice sent in 3 s after her Video off").isLessThanOrEqualTo(2);
        // while bob's own video still goes out (the check above is not a dead call)
        assertThat(off.path("after").path("outboundVideo").path("framesSent").asInt()
                - off.path("before").path("outboundVideo").path("framesSent").asInt()).as("frames bob sent")
                .isGreaterThan(10);
        assertThat(packets(off.path("after")) - packets(off.path("before"))).as("audio at bob after Video off")
                .isGreaterThan(100);
        JsonNode talk = r.path("talkAfterOff").path("a");
        assertThat(packets(talk.path("after")) - packets(talk.path("before"))).as("audio at alice after Video off")
                .isGreaterThan(100);
        assertThat(r.path("aShowsB").asInt()).as("alice still shows bob's video").isEqualTo(1);
        assertThat(r.path("aStillSeesB").path("b").asInt()).as("still blue at alice").isGreaterThan(150);
        assertThat(r.path("aCameraAfterHangUp").asInt()).as("alice opened her camera once").isEqualTo(1);

        // alice's browser removed its video stream (port 0): both sessions keep two m-lines, video at port 0 (RFC
        // 3264 §8.2), bob's camera went off by itself, and the call still carries audio both ways
        JsonNode removed = r.path("removed");
        System.out.println("after alice removed her video m-line: " + removed);
        for (String side : List.of("a", "b")) {
            for (String which : List.of("local", "remote")) {
                assertThat(removed.path(side).path(which)).extracting(JsonNode::asText).as("%s %s", side, which)
                        .hasSize(2).first().asString().startsWith("m=audio ").doesNotEndWith(" 0");
                assertThat(removed.path(side).path(which).get(1).asText()).as("%s %s", side, which)
                        .isEqualTo("m=video 0");
            }
        }
        assertThat(removed.path("bButton").asText()).isEqualTo("Video");
        assertThat(removed.path("bCameraLive").asInt()).isZero();
        for (String side : List.of("a", "b")) {
            JsonNode t = r.path("talkAfterRemoval").path(side);
            assertThat(packets(t.path("after")) - packets(t.path("before"))).as("audio at %s after the removal", side)
                    .isGreaterThan(100);
        }

        // carol's browser refuses the camera: she is told so and keeps talking
        assertThat(r.path("cProblem").asText()).contains("Camera access was denied", "goes on with audio");
        // a denied camera keeps Video enabled (pressing it explains); a browser that lists no camera disables it
        assertThat(r.path("cVideoEnabledWhenDenied").asBoolean()).as("Video enabled, camera denied").isTrue();
        assertThat(r.path("cNoCameraTitle").asText()).isEqualTo("No camera found on this device");
        assertThat(r.path("cCamera")).extracting(JsonNode::asText).containsExactly("NotAllowedError");
        assertThat(r.path("cStillInCall").asBoolean()).isTrue();
        JsonNode carolTalk = r.path("cAfterProblem").path("c");
        assertThat(packets(carolTalk.path("after")) - packets(carolTalk.path("before"))).as("audio at carol")
                .isGreaterThan(100);
        assertThat(carolTalk.path("after").path("outbound").path("packetsSent").asInt()
                - carolTalk.path("before").path("outbound").path("packetsSent").asInt()).as("audio from carol")
                .isGreaterThan(100);

        // Parley's test page calls alice with audio and video: she may answer with video, and does; each side
        // decodes the other's camera (green at alice)
        assertThat(r.path("aAnswerButtons")).extracting(JsonNode::asText)
                .containsExactly("Answer with video", "Answer audio only");
        System.out.println("alice answered with video: " + r.path("aSeesD") + "; the test page: " + r.path("dFromA"));
        assertThat(r.path("aSeesD").path("colour").path("g").asInt()).as("green at alice").isGreaterThan(150);
        assertThat(r.path("aSeesD").path("colour").path("r").asInt()).as("green at alice").isLessThan(100);
        // the camera chosen in her settings is the one asked for (exact: the browser lists it) and sent
        String camera = r.path("chosenCamera").path("value").asText();
        assertThat(r.path("cameraSaveStatus").asInt()).isEqualTo(200);
        assertThat(camera).isNotEmpty();
        JsonNode request = r.path("aCameraRequest");
        System.out.println("alice's camera request: " + request);
        assertThat(request.path("constraints").path("video").path("deviceId").path("exact").asText()).isEqualTo(camera);
        assertThat(request.path("tracks")).extracting(t -> t.path("deviceId").asText()).containsExactly(camera);
        JsonNode fromA = r.path("dFromA");
        assertThat(frames(fromA.path("after")) - frames(fromA.path("before"))).as("frames from alice at the test page")
                .isGreaterThan(15);

        try (Store store = Store.open(fixture.parley().databaseUrl(), null, null)) {
            List<CallRecord> cdrs = store.callRecords().recent(10);
            assertThat(cdrs).extracting(CallRecord::caller, CallRecord::callee, CallRecord::answered)
                    .containsExactlyInAnyOrder(new Tuple("101", "102", true), new Tuple("103", "101", true),
                            new Tuple("103", "101", true));
        }
    }

    private static int frames(JsonNode stats) {
        return stats.path("inboundVideo").path("framesDecoded").asInt();
    }

    private static int packets(JsonNode stats) {
        return stats.path("inbound").path("packetsReceived").asInt();
    }

    /**
     * A 320x240 Y4M file of 10 frames of one colour (Chromium's fake camera loops it): the header line, then per
     * frame "FRAME" and the I420 planes, Y then U then V at half resolution (BT.601 studio range).
     */
    private Path solidY4m(String name, int r, int g, int b) throws IOException {
        int width = 320;
        int height = 240;
        int y = (int) Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
        int u = (int) Math.round(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255);
        int v = (int) Math.round(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255);
        byte[] luma = new byte[width * height];
        byte[] cb = new byte[width * height / 4];
        byte[] cr = new byte[width * height / 4];
        Arrays.fill(luma, (byte) y);
        Arrays.fill(cb, (byte) u);
        Arrays.fill(cr, (byte) v);
        Path file = dir.resolve(name + ".y4m");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("YUV4MPEG2 W" + width + " H" + height + " F10:1 Ip A1:1 C420jpeg\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 10; i++) {
                out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                out.write(luma);
                out.write(cb);
                out.write(cr);
            }
        }
        return file;
    }
}
