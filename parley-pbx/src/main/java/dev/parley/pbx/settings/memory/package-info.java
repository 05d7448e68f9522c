/** The in-memory settings repository, for tests and for a server without a database. */
package dev.parley.pbx.settings.memory;
