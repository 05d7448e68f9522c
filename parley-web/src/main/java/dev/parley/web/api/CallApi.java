package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.CallOutcome;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.cdr.HistoryCursor;
import dev.parley.pbx.cdr.HistoryPage;
import dev.parley.pbx.cdr.HistoryQuery;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.media.LegSecurity;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Calls: the history from the CDRs and the calls in progress with their padlock.
 *
 * <ul>
 *   <li>{@code GET /api/me/calls?limit=&before=&direction=&outcome=}: the caller's own calls, newest first —
 *       those the CDR names them in, by user id: they placed it, their extension was dialled or their device
 *       answered, as the directory stood at the time of the call (see {@link HistoryQuery});
 *       {@code next} is the cursor of the following page.</li>
 *   <li>{@code GET /api/calls?…&user=&from=&to=} (admins): everybody's, or one user's (then with direction), started
 *       in {@code [from, to)}.</li>
 *   <li>{@code GET /api/me/calls/live}, {@code GET /api/calls/live} (admins): calls ringing or answered, each leg
 *       with its signalling transport and media protection; {@code encrypted} only when every leg's signalling is
 *       TLS/WSS and its media SRTP or DTLS-SRTP. A leg names its device ({@code endpoint}) and, resolved through the
 *       devices the PBX routes with (so a browser phone's {@code web-…} credentials too), its owner's display name
 *       and extension, and whether it is a browser phone.</li>
 * </ul>
 * A bad parameter is {@code 400} naming it; nothing a user sends can name another user's calls under
 * {@code /api/me}. Blocking (repositories): runs on the web server's threads.
 */
public final class CallApi implements ApiModule {
    static final int DEFAULT_LIMIT = 50;
    private static final JsonNode NAME = Schemas.parse("{\"type\": [\"string\", \"null\"]}");
    static final JsonNode HISTORY = Schemas.parse("""
            {"type": "object", "required": ["calls", "next"],
             "properties": {
               "next": {"type": ["string", "null"]},
               "calls": {"type": "array", "items": {"type": "object",
                 "required": ["id", "direction", "outcome", "from", "fromName", "to", "toName", "startedAt",
                              "answeredAt", "endedAt", "durationSeconds"],
                 "properties": {
                   "id": {"type": "string"},
                   "direction": {"enum": ["incoming", "outgoing", null]},
                   "outcome": {"enum": ["answered", "missed", "busy", "failed"]},
                   "from": {"type": "string"}, "fromName": {"type": ["string", "null"]},
                   "to": {"type": "string"}, "toName": {"type": ["string", "null"]},
                   "startedAt": {"type": "string", "format": "date-time"},
                   "answeredAt": {"type": ["string", "null"], "format": "date-time"},
                   "endedAt": {"type": "string", "format": "date-time"},
                   "durationSeconds": {"type": "integer", "minimum": 0}}}}}}""");
    static final JsonNode LIVE = Schemas.parse("""
            {"type": "object", "required": ["calls"],
             "properties": {"calls": {"type": "array", "items": {"type": "object",
               "required": ["id", "state", "from", "fromName", "to", "toName", "startedAt", "encrypted", "legs"],
               "properties": {
                 "id": {"type": "string"},
                 "state": {"enum": ["ringing", "answered", "held"]},
                 "heldBy": {"enum": ["caller", "callee", "both", null],
                   "description": "state held: the side whose last offer or answer was sendonly or inactive"},
                 "from": {"type": "string"}, "fromName": {"type": ["string", "null"]},
                 "to": {"type": "string"}, "toName": {"type": ["string", "null"]},
                 "startedAt": {"type": "string", "format": "date-time"},
                 "encrypted": {"type": "boolean"},
                 "legs": {"type": "array", "items": {"type": "object",
                   "required": ["party", "endpoint", "browserPhone", "user", "extension", "transport", "media",
                                "encrypted"],
                   "properties": {
                     "party": {"enum": ["caller", "callee"]},
                     "endpoint": {"type": ["string", "null"], "description": "the device's SIP username"},
                     "browserPhone": {"type": "boolean",
                       "description": "the device is a browser phone's session-bound credentials (web-...)"},
                     "user": {"type": ["string", "null"],
                       "description": "the device owner's display name (their username when it is blank)"},
                     "extension": {"type": ["string", "null"],
                       "description": "the owner's extension on this call (else their first), or null"},
                     "transport": {"enum": ["udp", "tcp", "tls", "ws", "wss"]},
                     "media": {"enum": ["rtp", "srtp-sdes", "dtls-srtp", "none"]},
                     "encrypted": {"type": "boolean"}}}}}}}}}""");

    private final CallRecordRepository records;
    private final UserRepository users;
    private final ExtensionRepository extensions;
    private final DeviceRepository devices;
    private final Supplier<List<CallView>> live;

    /**
     * @param devices the devices the PBX routes with (stored ones and browser phones' session-bound credentials),
     *     so a browser phone's {@code web-…} device resolves to its user
     * @param live the calls in progress now (the PBX's registry), read on every request
     */
    public CallApi(CallRecordRepository records, UserRepository users, ExtensionRepository extensions,
            DeviceRepository devices, Supplier<List<CallView>> live) {
        this.records = Objects.requireNonNull(records, "records");
        this.users = Objects.requireNonNull(users, "users");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.live = Objects.requireNonNull(live, "live");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.of(HandlerType.GET, "/api/me/calls", Access.SIGNED_IN, "The caller's call history",
                        this::myHistory).answers(200, HISTORY),
                ApiRoute.of(HandlerType.GET, "/api/me/calls/live", Access.SIGNED_IN,
                        "The caller's calls in progress, with each leg's security", this::myLive).answers(200, LIVE),
                ApiRoute.of(HandlerType.GET, "/api/calls", Access.ADMINS, "Everybody's call history (or one user's)",
                        this::allHistory).answers(200, HISTORY),
                ApiRoute.of(HandlerType.GET, "/api/calls/live", Access.ADMINS,
                        "Every call in progress, with each leg's security", this::allLive).answers(200, LIVE));
    }

    // ---- history ----

    void myHistory(Context ctx) {
        User me = ApiGuard.principalOf(ctx).user();
        HistoryQuery q = filters(ctx, HistoryQuery.of(me.id(), limit(ctx)), true);
        answer(ctx, history(q));
    }

    void allHistory(Context ctx) {
        String userParam = ctx.queryParam("user");
        HistoryQuery base;
        if (userParam == null) {
            base = HistoryQuery.everyone(limit(ctx));
        } else {
            if (userParam.isEmpty() || userParam.length() > 64) {
                throw ApiError.invalid("user", "not a user id");
            }
            User u = users.findById(new UserId(userParam)).orElseThrow(
                    () -> ApiError.invalid("user", "no such user"));
            base = HistoryQuery.of(u.id(), limit(ctx));
        }
        HistoryQuery q = filters(ctx, base, userParam != null).between(instant(ctx, "from"), instant(ctx, "to"));
        if (q.from() != null && q.to() != null && !q.from().isBefore(q.to())) {
            throw ApiError.invalid("to", "must be after from");
        }
        answer(ctx, history(q));
    }

    private ObjectNode history(HistoryQuery q) {
        HistoryPage page = records.history(q);
        ObjectNode out = Json.object();
        ArrayNode calls = out.putArray("calls");
        Names names = new Names();
        for (CallRecord r : page.calls()) {
            CallDirection d = q.directionOf(r);
            ObjectNode c = calls.addObject().put("id", r.id());
            if (d == null) {
                c.putNull("direction");
            } else {
                c.put("direction", d.wireName());
            }
            c.put("outcome", q.outcomeOf(r).wireName())
                    .put("from", r.caller()).put("fromName", names.of(r.caller()))
                    .put("to", r.callee()).put("toName", names.of(r.callee()))
                    .put("startedAt", r.startedAt().toString())
                    .put("answeredAt", r.answeredAt() == null ? null : r.answeredAt().toString())
                    .put("endedAt", r.endedAt().toString())
                    .put("durationSeconds", r.answeredAt() == null ? 0
                            : Math.max(0, Duration.between(r.answeredAt(), r.endedAt()).toSeconds()));
        }
        if (page.next() == null) {
            out.putNull("next");
        } else {
            out.put("next", page.next().token());
        }
        return out;
    }

    private static HistoryQuery filters(Context ctx, HistoryQuery q, boolean hasUser) {
        String before = ctx.queryParam("before");
        if (before != null) {
            q = q.before(HistoryCursor.parse(before).orElseThrow(
                    () -> ApiError.invalid("before", "not a cursor this server gave")));
        }
        String direction = ctx.queryParam("direction");
        if (direction != null) {
            if (!hasUser) {
                throw ApiError.invalid("direction", "needs user: a call has a direction only for one user");
            }
            q = q.withDirection(CallDirection.fromWire(direction).orElseThrow(
                    () -> ApiError.invalid("direction", "must be incoming or outgoing")));
        }
        String outcome = ctx.queryParam("outcome");
        if (outcome != null) {
            q = q.withOutcome(CallOutcome.fromWire(outcome).orElseThrow(
                    () -> ApiError.invalid("outcome", "must be answered, missed, busy or failed")));
        }
        return q;
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = text.length() > 4 ? -1 : Integer.parseInt(text);
            if (n >= 1 && n <= HistoryQuery.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.invalid("limit", "must be a whole number from 1 to " + HistoryQuery.MAX_LIMIT);
    }

    private static Instant instant(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return null;
        }
        try {
            if (text.length() > 40) {
                throw new DateTimeParseException("too long", text.substring(0, 40), 40);
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiError.invalid(name, "must be an ISO-8601 UTC time such as 2026-01-31T23:59:00Z");
        }
    }

    // ---- live ----

    void myLive(Context ctx) {
        UserId me = ApiGuard.principalOf(ctx).user().id();
        answer(ctx, liveCalls(live.get().stream().filter(c -> c.involves(me)).toList()));
    }

    void allLive(Context ctx) {
        answer(ctx, liveCalls(live.get()));
    }

    private ObjectNode liveCalls(List<CallView> views) {
        ObjectNode out = Json.object();
        ArrayNode calls = out.putArray("calls");
        Names names = new Names();
        for (CallView v : views.stream().sorted((a, b) -> b.startedAt().compareTo(a.startedAt())).toList()) {
            ObjectNode c = calls.addObject().put("id", v.id())
                    .put("state", v.held() ? "held" : v.answered() ? "answered" : "ringing")
                    .put("heldBy", v.hold().wireName())
                    .put("from", v.caller()).put("fromName", names.of(v.caller()))
                    .put("to", v.callee()).put("toName", names.of(v.callee()))
                    .put("startedAt", v.startedAt().toString());
            List<ObjectNode> legs = new ArrayList<>();
            legs.add(leg("caller", v.callerDevice(), v.callerUser(), v.caller(), v.security().caller()));
            if (v.security().callee() != null) {
                legs.add(leg("callee", v.answeredBy(), v.calleeUser(), v.callee(), v.security().callee()));
            }
            // the padlock: both legs exist and each is TLS/WSS with SRTP or DTLS-SRTP
            boolean encrypted = v.security().callee() != null
                    && legs.stream().allMatch(l -> l.get("encrypted").asBoolean());
            c.put("encrypted", encrypted);
            c.putArray("legs").addAll(legs);
        }
        return out;
    }

    /**
     * One leg: its device, whose it is (the device's owner, else the user the call names for that side) and which of
     * their extensions is on the call ({@code number} if it is theirs, else their first), its protection.
     */
    private ObjectNode leg(String party, String endpoint, UserId side, String number, LegSecurity s) {
        String media = s.dtls() ? "dtls-srtp" : s.suite() != null ? "srtp-sdes" : "rtp";
        Optional<Device> device = endpoint == null ? Optional.empty() : devices.findBySipUsername(endpoint);
        UserId owner = device.map(Device::owner).orElse(side);
        Optional<User> user = owner == null ? Optional.empty() : users.findById(owner);
        String extension = null;
        if (user.isPresent()) {
            List<String> numbers = extensions.findByOwner(owner).stream().map(Extension::number).toList();
            extension = numbers.contains(number) ? number : numbers.isEmpty() ? null : numbers.getFirst();
        }
        return Json.object().put("party", party).put("endpoint", endpoint)
                .put("browserPhone", device.map(devices::webSocketOnly).orElse(false))
                .put("user", user.map(u -> u.displayName().isBlank() ? u.name() : u.displayName()).orElse(null))
                .put("extension", extension)
                .put("transport", s.signalling().name().toLowerCase(Locale.ROOT)).put("media", media)
                .put("encrypted", s.signalling().isSecure() && s.encrypted());
    }

    private static void answer(Context ctx, ObjectNode body) {
        ctx.contentType("application/json").result(Json.write(body));
    }

    /** Display names of numbers (extensions) and device names, looked up once per request. */
    private final class Names {
        private final Map<String, Optional<String>> known = new HashMap<>();

        String of(String party) {
            return known.computeIfAbsent(party, p -> {
                Optional<UserId> owner = extensions.find(p).map(Extension::owner)
                        .or(() -> devices.findBySipUsername(p).map(Device::owner));
                return owner.flatMap(users::findById).map(User::displayName).filter(n -> !n.isBlank());
            }).orElse(null);
        }
    }
}
