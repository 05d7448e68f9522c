package dev.parley.pbx.registrar;

import java.time.Instant;
import java.util.List;

/**
 * Port: where bindings are kept, so that every unexpired binding is back after a restart and, with PostgreSQL,
 * visible to every node. Implemented by {@code parley-store} (JDBC) and by
 * {@link dev.parley.pbx.registrar.memory.InMemoryBindingRepository}.
 *
 * <p>The registrar reads an AOR's bindings, computes the new set, and writes it back whole with {@link #replace}:
 * RFC 3261 §10.3 step 7 requires the changes of one REGISTER to become visible all at once or not at all, which one
 * transaction per {@code replace} gives. Within one process the registrar serializes writers per AOR; across nodes
 * an implementation should lock the AOR's rows for the duration ({@code SELECT … FOR UPDATE}) or accept that the
 * last writer wins.
 *
 * <p>Instants must be stored with at least millisecond precision. Thread-safe; calls may block.
 */
public interface BindingRepository {

    /** Every binding stored for {@code aor}, expired or not, in no particular order. */
    List<Binding> find(String aor);

    /**
     * What {@link #find} returns, if it can be answered from memory without blocking (a SIP lane routing a call);
     * otherwise {@code null}, and the caller reads with {@link #find} on a thread that may block. By default
     * {@code null}: an implementation that keeps nothing in memory need not override it.
     */
    default List<Binding> findInMemory(String aor) {
        return null;
    }

    /** Atomically replaces every binding of {@code aor} by {@code bindings} (empty: the AOR has none). */
    void replace(String aor, List<Binding> bindings);

    /** Every stored binding (admin view). */
    List<Binding> findAll();

    /** Removes every binding with {@code expiresAt <= now} and returns them. */
    List<Binding> deleteExpired(Instant now);
}
