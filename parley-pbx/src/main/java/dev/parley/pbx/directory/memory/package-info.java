/**
 * In-memory implementations of the directory ports, for tests and for a run without a database. Thread-safe; they
 * keep nothing across restarts.
 */
package dev.parley.pbx.directory.memory;
