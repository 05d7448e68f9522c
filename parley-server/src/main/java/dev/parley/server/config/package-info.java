/**
 * Parley's configuration: typed records with defaults ({@link dev.parley.server.config.ParleyConfig}), and the
 * loader that layers {@code parley.yml}, {@code PARLEY_*} environment variables and command-line options over the
 * defaults and checks every value ({@link dev.parley.server.config.ConfigLoader}).
 *
 * <p>Depends on Jackson (YAML) and the JDK; names PBX policy records ({@code RegistrarPolicy}, {@code BanPolicy})
 * only in conversion methods, so the PBX never sees this package.
 */
package dev.parley.server.config;
