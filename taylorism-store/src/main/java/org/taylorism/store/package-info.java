/**
 * The run store: every run a Boss records, in an SQLite file. {@link org.taylorism.store.JdbcRunStore} is the API
 * (open a store, give it to Bosses, read runs and reports back, export, gc); the rest is package-private, one
 * concern each: {@code Database} (the file, its journal mode on local and network file systems, connections),
 * {@code Schema} (the tables and their migrations), {@code StoreWriter} (the one writer thread, group commit,
 * heartbeats), {@code Journal} (one run's record), {@code Owner} (who runs a run, and whether it still does),
 * {@code RunReader} (reports, summaries and a resumed run's view, rebuilt from rows) and {@code Exports}.
 */
package org.taylorism.store;
