package dev.parley.pbx.registrar.memory;

import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@link BindingRepository} in a map; one lock, so each call is atomic. */
public final class InMemoryBindingRepository implements BindingRepository {
    private final Map<String, List<Binding>> byAor = new HashMap<>();

    @Override
    public synchronized List<Binding> find(String aor) {
        return byAor.getOrDefault(aor, List.of());
    }

    @Override
    public List<Binding> findInMemory(String aor) {
        return find(aor);
    }

    @Override
    public synchronized void replace(String aor, List<Binding> bindings) {
        for (Binding b : bindings) {
            if (!b.aor().equals(aor)) {
                throw new IllegalArgumentException("binding for " + b.aor() + " passed to replace " + aor);
            }
        }
        if (bindings.isEmpty()) {
            byAor.remove(aor);
        } else {
            byAor.put(aor, List.copyOf(bindings));
        }
    }

    @Override
    public synchronized List<Binding> findAll() {
        List<Binding> all = new ArrayList<>();
        byAor.values().forEach(all::addAll);
        return all;
    }

    @Override
    public synchronized List<Binding> deleteExpired(Instant now) {
        List<Binding> removed = new ArrayList<>();
        for (Iterator<Map.Entry<String, List<Binding>>> it = byAor.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Binding>> e = it.next();
            List<Binding> kept = new ArrayList<>();
            for (Binding b : e.getValue()) {
                (b.isExpired(now) ? removed : kept).add(b);
            }
            if (kept.isEmpty()) {
                it.remove();
            } else if (kept.size() != e.getValue().size()) {
                e.setValue(List.copyOf(kept));
            }
        }
        return removed;
    }
}
