/** An in-memory {@link dev.parley.pbx.registrar.BindingRepository} for tests and store-less runs. */
package dev.parley.pbx.registrar.memory;
