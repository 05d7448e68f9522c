/**
 * The running server: {@link dev.parley.server.runtime.Server} starts the store, the admin bootstrap, the PBX and
 * the SIP stack in order and stops them in reverse; {@link dev.parley.server.runtime.PbxWiring} is where the PBX
 * plugs in. May depend on every Parley module; nothing depends on it but the command line.
 */
package dev.parley.server.runtime;
