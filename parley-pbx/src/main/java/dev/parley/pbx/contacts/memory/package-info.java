/** The in-memory contact repository, for tests and for a server without a database. */
package dev.parley.pbx.contacts.memory;
