/**
 * How the server reaches persistence: the {@link dev.parley.server.store.Repositories} bundle of repository ports,
 * the {@link dev.parley.server.store.StoreOpener} that opens it from the configuration, and the device secret key
 * file kept beside (never inside) the database.
 */
package dev.parley.server.store;
