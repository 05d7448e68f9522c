/** Persistence adapters for the PBX ports: JDBC, SQLite by default, PostgreSQL by one setting. */
package dev.parley.store;
