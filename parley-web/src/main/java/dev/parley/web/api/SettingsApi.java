package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.settings.UserSettings;
import dev.parley.pbx.settings.UserSettingsService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in user's settings, which the PBX enforces on their incoming calls (see
 * {@link dev.parley.pbx.settings.IncomingCallPolicy}).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code GET /api/me/settings}</td><td>{@code 200} {@code {doNotDisturb, callWaiting, autoAnswer,
 *       devices: {microphone, speaker, ringer, camera}}} (the defaults until the user saves)</td></tr>
 *   <tr><td>{@code PUT /api/me/settings} with the whole object</td><td>{@code 200} the stored object; the next
 *       call to the user already follows it; {@code 400} naming the field for a missing flag, a flag that is not
 *       a boolean, or a device id that is not a string of at most 200 characters (or null)</td></tr>
 * </table>
 */
public final class SettingsApi implements ApiModule {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsApi.class);
    private static final List<String> DEVICES = List.of("microphone", "speaker", "ringer", "camera");

    static final JsonNode SETTINGS = Schemas.parse("""
            {"type": "object", "additionalProperties": false,
             "required": ["doNotDisturb", "callWaiting", "autoAnswer", "devices"],
             "properties": {
               "doNotDisturb": {"type": "boolean", "description": "incoming calls are refused and show as missed"},
               "callWaiting": {"type": "boolean", "description": "false: a call while on a call gets 486"},
               "autoAnswer": {"type": "boolean",
                              "description": "Parley asks the phones to answer at once (Call-Info answer-after=0)"},
               "devices": {"type": "object", "additionalProperties": false,
                 "required": ["microphone", "speaker", "ringer", "camera"],
                 "properties": {
                   "microphone": {"type": ["string", "null"], "maxLength": 200},
                   "speaker": {"type": ["string", "null"], "maxLength": 200},
                   "ringer": {"type": ["string", "null"], "maxLength": 200},
                   "camera": {"type": ["string", "null"], "maxLength": 200}}}}}""");

    private final UserSettingsService settings;

    public SettingsApi(UserSettingsService settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.of(HandlerType.GET, "/api/me/settings", Access.SIGNED_IN, "The caller's settings", this::get)
                        .answers(200, SETTINGS),
                ApiRoute.of(HandlerType.PUT, "/api/me/settings", Access.SIGNED_IN,
                                "Replace the caller's settings (do not disturb, call waiting, auto-answer, devices)",
                                this::put)
                        .takes(SETTINGS).answers(200, SETTINGS));
    }

    void get(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        ctx.contentType("application/json").result(Json.write(toJson(settings.of(p.user().id()))));
    }

    void put(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        UserSettings wanted = read(Json.body(ctx, Set.of("doNotDisturb", "callWaiting", "autoAnswer", "devices")));
        UserSettings stored = settings.update(p.user().id(), wanted);
        LOG.info("{} changed settings: doNotDisturb={} callWaiting={} autoAnswer={}", p.user().name(),
                stored.doNotDisturb(), stored.callWaiting(), stored.autoAnswer());
        ctx.contentType("application/json").result(Json.write(toJson(stored)));
    }

    static UserSettings read(ObjectNode body) {
        boolean dnd = flag(body, "doNotDisturb");
        boolean waiting = flag(body, "callWaiting");
        boolean auto = flag(body, "autoAnswer");
        JsonNode devices = body.get("devices");
        if (devices == null || !devices.isObject()) {
            throw ApiError.invalid("devices", "must be an object with microphone, speaker, ringer and camera");
        }
        for (var it = devices.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!DEVICES.contains(name)) {
                throw ApiError.invalid("devices." + (name.length() > 64 ? name.substring(0, 64) : name),
                        "is not a known field");
            }
        }
        String[] ids = new String[DEVICES.size()];
        for (int i = 0; i < ids.length; i++) {
            String name = DEVICES.get(i);
            JsonNode v = devices.get(name);
            if (v == null || v.isNull()) {
                continue; // absent: the browser's default
            }
            if (!v.isTextual() || v.textValue().length() > UserSettings.Devices.MAX_LENGTH) {
                throw ApiError.invalid("devices." + name, "must be a string of at most "
                        + UserSettings.Devices.MAX_LENGTH + " characters, or null");
            }
            ids[i] = v.textValue();
        }
        return new UserSettings(dnd, waiting, auto, new UserSettings.Devices(ids[0], ids[1], ids[2], ids[3]));
    }

    private static boolean flag(ObjectNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || !v.isBoolean()) {
            throw ApiError.invalid(name, "is required: true or false");
        }
        return v.booleanValue();
    }

    /** The settings as the API and the live event stream ({@code event: settings}) show them. */
    public static ObjectNode toJson(UserSettings s) {
        ObjectNode o = Json.object().put("doNotDisturb", s.doNotDisturb()).put("callWaiting", s.callWaiting())
                .put("autoAnswer", s.autoAnswer());
        ObjectNode d = o.putObject("devices");
        d.put("microphone", s.devices().microphone()).put("speaker", s.devices().speaker())
                .put("ringer", s.devices().ringer()).put("camera", s.devices().camera());
        return o;
    }
}
