/**
 * The entry point of the runnable jar ({@link dev.parley.server.Main}). The composition root is spread over the
 * subpackages: {@code config} (settings), {@code tls} (certificate), {@code admin} (admin account, password hashing),
 * {@code store} (opening the database), {@code runtime} (ordered startup and shutdown) and {@code cli} (commands).
 */
package dev.parley.server;
