/** The composition root: configuration, command line, ordered startup and shutdown. */
package dev.parley.server;
