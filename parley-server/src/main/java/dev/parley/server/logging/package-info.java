/**
 * Logback plug-ins of the console log ({@code logback.xml}): {@link dev.parley.server.logging.LogTimestamp}, the
 * time in front of each line. Depends on Logback and the JDK only.
 */
package dev.parley.server.logging;
