package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.presence.DirectoryEntry;
import dev.parley.pbx.presence.PresenceEngine;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET /api/directory} (signed in): every extension with its display name, user id and presence, for the
 * phone's contact list. Read from the presence engine's last snapshot (at most its refresh interval old, call events
 * at once): no database read per request.
 */
public final class DirectoryListingApi implements ApiModule {
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["entries"],
             "properties": {"entries": {"type": "array", "items": {"type": "object",
               "required": ["extension", "displayName", "userId", "presence"],
               "properties": {
                 "extension": {"type": "string"},
                 "displayName": {"type": "string"},
                 "userId": {"type": "string"},
                 "presence": {"enum": ["online", "busy", "dnd", "offline"]}}}}}}""");

    private final PresenceEngine presence;

    public DirectoryListingApi(PresenceEngine presence) {
        this.presence = Objects.requireNonNull(presence, "presence");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(ApiRoute.of(HandlerType.GET, "/api/directory", Access.SIGNED_IN,
                "Every extension with its user's presence", this::list).answers(200, LIST));
    }

    void list(Context ctx) {
        ObjectNode out = Json.object();
        ArrayNode entries = out.putArray("entries");
        for (DirectoryEntry e : presence.directory()) {
            entries.addObject().put("extension", e.extension()).put("displayName", e.displayName())
                    .put("userId", e.user().value()).put("presence", e.presence().wireName());
        }
        ctx.contentType("application/json").result(Json.write(out));
    }
}
