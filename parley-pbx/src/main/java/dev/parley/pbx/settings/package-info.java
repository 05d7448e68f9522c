/**
 * Per-user settings that the PBX enforces on incoming calls (do not disturb, call waiting, auto-answer) and the
 * browser phone's device choices: the {@link dev.parley.pbx.settings.UserSettings} value, its repository port, the
 * {@link dev.parley.pbx.settings.UserSettingsService} (a cache in front of the port that a write refreshes, and the
 * change listeners the live event stream subscribes to) and {@link dev.parley.pbx.settings.IncomingCallPolicy},
 * the pure decision taken for each INVITE to a user's extension.
 *
 * <p>Depends on {@code directory} (user ids) and the JDK; nothing in it touches SIP messages or calls.
 */
package dev.parley.pbx.settings;
