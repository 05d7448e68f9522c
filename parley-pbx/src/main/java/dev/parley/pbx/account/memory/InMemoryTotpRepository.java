package dev.parley.pbx.account.memory;

import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.directory.UserId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link TotpRepository} in maps. Unlike the JDBC store it cannot check that the user exists. */
public final class InMemoryTotpRepository implements TotpRepository {
    private final Map<UserId, Stored> secrets = new HashMap<>();
    private final Map<UserId, Set<String>> codes = new HashMap<>();

    @Override
    public synchronized Optional<Stored> find(UserId user) {
        return Optional.ofNullable(secrets.get(user));
    }

    @Override
    public synchronized boolean begin(UserId user, String secret) {
        Stored s = secrets.get(user);
        if (s != null && s.confirmed()) {
            return false;
        }
        secrets.put(user, new Stored(user, secret, false, Long.MIN_VALUE));
        return true;
    }

    @Override
    public synchronized boolean confirm(UserId user, long step, List<String> recoveryCodeHashes) {
        Stored s = secrets.get(user);
        if (s == null || s.confirmed()) {
            return false;
        }
        secrets.put(user, new Stored(user, s.secret(), true, step));
        codes.put(user, new HashSet<>(recoveryCodeHashes));
        return true;
    }

    @Override
    public synchronized boolean advance(UserId user, long step) {
        Stored s = secrets.get(user);
        if (s == null || !s.confirmed() || step <= s.lastStep()) {
            return false;
        }
        secrets.put(user, new Stored(user, s.secret(), true, step));
        return true;
    }

    @Override
    public synchronized boolean useRecoveryCode(UserId user, String codeHash) {
        Set<String> mine = codes.get(user);
        return mine != null && mine.remove(codeHash);
    }

    @Override
    public synchronized int recoveryCodesLeft(UserId user) {
        Set<String> mine = codes.get(user);
        return mine == null ? 0 : mine.size();
    }

    @Override
    public synchronized boolean delete(UserId user) {
        codes.remove(user);
        return secrets.remove(user) != null;
    }
}
