package dev.parley.pbx.settings;

import java.util.Objects;

/**
 * What one user chose.
 *
 * @param doNotDisturb incoming calls are refused ({@code pbx.dnd-status}: 486 or 480) and recorded as missed
 * @param callWaiting when false, a call to the user while they are on a call is refused with 486
 * @param autoAnswer Parley asks the user's devices to answer at once ({@code Call-Info: …;answer-after=0},
 *     RFC 7462 §4.1); each phone decides whether to honour it
 * @param devices the browser phone's microphone, speaker, ringer and camera; Parley stores them, never reads them
 */
public record UserSettings(boolean doNotDisturb, boolean callWaiting, boolean autoAnswer, Devices devices) {
    /** What a user has before changing anything: calls ring, call waiting on, nothing answers by itself. */
    public static final UserSettings DEFAULTS = new UserSettings(false, true, false, Devices.NONE);

    public UserSettings {
        Objects.requireNonNull(devices, "devices");
    }

    /**
     * The browser's media device ids ({@code MediaDeviceInfo.deviceId}): opaque strings of at most
     * {@value #MAX_LENGTH} characters, or {@code null} for the browser's default.
     */
    public record Devices(String microphone, String speaker, String ringer, String camera) {
        public static final int MAX_LENGTH = 200;
        public static final Devices NONE = new Devices(null, null, null, null);

        public Devices {
            check("microphone", microphone);
            check("speaker", speaker);
            check("ringer", ringer);
            check("camera", camera);
        }

        private static void check(String name, String value) {
            if (value != null && value.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("devices." + name + " is longer than " + MAX_LENGTH
                        + " characters");
            }
        }
    }
}
