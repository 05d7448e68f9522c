/** In-memory implementations of the account ports, for tests and for a server without a database. */
package dev.parley.pbx.account.memory;
