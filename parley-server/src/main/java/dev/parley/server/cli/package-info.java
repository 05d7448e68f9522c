/**
 * The {@code parley} command line (picocli): {@code run} and the management commands ({@code user},
 * {@code extension}, {@code device}) that open the store directly, so they work with the server running or not.
 */
package dev.parley.server.cli;
