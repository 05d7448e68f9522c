/**
 * Browser phone provisioning: short-lived SIP credentials handed to a signed-in web page, bound to its web session
 * and held in memory only ({@link dev.parley.pbx.webphone.WebPhones}). The PBX sees them as devices of the user
 * through {@link dev.parley.pbx.webphone.WebPhones#devices}, a view over the stored devices, and takes them over
 * WSS only ({@link dev.parley.pbx.directory.DeviceRepository#webSocketOnly}).
 *
 * <p>Depends on {@code dev.parley.pbx.directory} and {@code dev.parley.pbx.registrar} (to remove the bindings of
 * revoked credentials); nothing of the web module: the web side tells it when a session ends.
 */
package dev.parley.pbx.webphone;
