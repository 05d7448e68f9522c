package dev.parley.pbx.presence;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.CallOutcome;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.UserId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Presence and call events, as a pure state machine: it is told what the directory looks like ({@link #refresh})
 * and what calls do ({@link #ringing}, {@link #answered}, {@link #ended}), and answers with what to send to whom.
 * No I/O, no threads, no clock: not thread-safe, one owner thread (the engine's).
 *
 * <p>A user's presence, for each of their extensions, in this order:
 * <ol>
 *   <li>{@link Presence#BUSY}: the caller of a call in progress, or a party of an answered one (a phone that only
 *       rings is not busy: it can still take that call);</li>
 *   <li>{@link Presence#OFFLINE}: no unexpired registration of any of the user's devices;</li>
 *   <li>{@link Presence#DND}: do-not-disturb is on;</li>
 *   <li>{@link Presence#ONLINE}.</li>
 * </ol>
 */
public final class PresenceBook {

    /**
     * The directory as the repositories had it.
     *
     * @param extensions every extension
     * @param displayNames each user's display name (blank when none)
     * @param registered users with at least one unexpired binding
     * @param doNotDisturb users whose do-not-disturb is on
     */
    public record Snapshot(List<Extension> extensions, Map<UserId, String> displayNames, Set<UserId> registered,
            Set<UserId> doNotDisturb) {
        public static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), Set.of(), Set.of());

        public Snapshot {
            extensions = List.copyOf(extensions);
            displayNames = Map.copyOf(displayNames);
            registered = Set.copyOf(registered);
            doNotDisturb = Set.copyOf(doNotDisturb);
        }
    }

    /** An event for one user ({@code to}), or for everyone when {@code to} is null. */
    public record Delivery(UserId to, PbxEvent event) {
        public Delivery {
            Objects.requireNonNull(event, "event");
        }
    }

    private final Map<String, CallView> live = new HashMap<>();
    /**
     * How many live calls make each user busy (a user with two calls counts twice), kept as calls change rather than
     * recounted from {@link #live} on every event: under load there are hundreds of live calls and several events
     * per call, and the recount was most of the engine's time.
     */
    private final Map<UserId, Integer> busy = new HashMap<>();
    private Snapshot snapshot = Snapshot.EMPTY;
    private Map<String, Presence> shown = Map.of();

    /** The directory changed (or may have): the presence of every extension whose presence changed. */
    public List<Delivery> refresh(Snapshot now) {
        snapshot = Objects.requireNonNull(now, "now");
        return presenceChanges();
    }

    public List<Delivery> ringing(CallView call) {
        track(call);
        List<Delivery> out = callEvent(call, "ringing", null);
        out.addAll(presenceChanges());
        return out;
    }

    public List<Delivery> answered(CallView call) {
        track(call);
        List<Delivery> out = callEvent(call, "answered", null);
        out.addAll(presenceChanges());
        return out;
    }

    /** An answered call was put on hold ({@code held}, who holds it) or resumed ({@code answered} again). */
    public List<Delivery> holdChanged(CallView call) {
        if (!live.containsKey(call.id())) {
            return List.of(); // ended meanwhile, or never answered here
        }
        live.put(call.id(), call);
        return callEvent(call, call.held() ? "held" : "answered", null);
    }

    public List<Delivery> ended(CallView call, CallRecord record) {
        CallView was = live.remove(call.id());
        if (was != null) {
            count(was, -1);
        }
        List<Delivery> out = callEvent(call, "ended", record);
        out.addAll(presenceChanges());
        return out;
    }

    /** Every extension with its user's presence, ordered by number. */
    public List<DirectoryEntry> directory() {
        List<DirectoryEntry> entries = new ArrayList<>();
        for (Extension e : snapshot.extensions()) {
            entries.add(new DirectoryEntry(e.number(), snapshot.displayNames().getOrDefault(e.owner(), ""),
                    e.owner(), presenceOf(e.owner())));
        }
        entries.sort(Comparator.comparing(DirectoryEntry::extension));
        return entries;
    }

    /** The calls in progress this book knows of. */
    public int liveCalls() {
        return live.size();
    }

    private List<Delivery> callEvent(CallView call, String state, CallRecord record) {
        List<Delivery> out = new ArrayList<>();
        String fromName = name(call.callerUser());
        String toName = name(call.calleeUser());
        if (call.callerUser() != null) {
            out.add(new Delivery(call.callerUser(), new PbxEvent.Call(call.id(), state, CallDirection.OUTGOING,
                    call.caller(), fromName, call.callee(), toName,
                    record == null ? null : CallOutcome.of(record, CallDirection.OUTGOING), call.hold().wireName())));
        }
        if (call.calleeUser() != null && !call.calleeUser().equals(call.callerUser())) {
            out.add(new Delivery(call.calleeUser(), new PbxEvent.Call(call.id(), state, CallDirection.INCOMING,
                    call.caller(), fromName, call.callee(), toName,
                    record == null ? null : CallOutcome.of(record, CallDirection.INCOMING), call.hold().wireName())));
        }
        return out;
    }

    private String name(UserId user) {
        if (user == null) {
            return null;
        }
        String n = snapshot.displayNames().get(user);
        return n == null || n.isBlank() ? null : n;
    }

    /** {@code call} is live as it now is: the busy counts lose what its previous view added and gain its own. */
    private void track(CallView call) {
        CallView was = live.put(call.id(), call);
        if (was != null) {
            count(was, -1);
        }
        count(call, +1);
    }

    /** Adds {@code delta} for each user {@code call} makes busy: its caller, and its callee once answered. */
    private void count(CallView call, int delta) {
        if (call.callerUser() != null) {
            busy.merge(call.callerUser(), delta, PresenceBook::sumOrNull);
        }
        if (call.answered() && call.calleeUser() != null) {
            busy.merge(call.calleeUser(), delta, PresenceBook::sumOrNull);
        }
    }

    /** For {@link Map#merge}: a count that reaches zero leaves the map. */
    private static Integer sumOrNull(Integer a, Integer b) {
        int sum = a + b;
        return sum == 0 ? null : sum;
    }

    private Presence presenceOf(UserId user) {
        if (busy.containsKey(user)) {
            return Presence.BUSY;
        }
        if (!snapshot.registered().contains(user)) {
            return Presence.OFFLINE;
        }
        return snapshot.doNotDisturb().contains(user) ? Presence.DND : Presence.ONLINE;
    }

    private List<Delivery> presenceChanges() {
        Map<String, Presence> now = new LinkedHashMap<>();
        List<Delivery> out = new ArrayList<>();
        for (Extension e : snapshot.extensions()) {
            Presence p = presenceOf(e.owner());
            now.put(e.number(), p);
            if (shown.get(e.number()) != p) {
                out.add(new Delivery(null, new PbxEvent.PresenceChanged(e.number(), p)));
            }
        }
        shown = now;
        return out;
    }
}
