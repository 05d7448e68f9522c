package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserRepository;
import io.javalin.http.Context;
import java.util.Objects;

/** Users, for admins: {@code GET /api/users} lists them ({@code {"users": [{id, username, displayName, role,
 * email}]}}, ordered by name). */
public final class UserApi {
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["users"],
             "properties": {"users": {"type": "array", "items": {
               "type": "object", "required": ["id", "username", "displayName", "role", "email"],
               "properties": {
                 "id": {"type": "string"},
                 "username": {"type": "string"},
                 "displayName": {"type": "string"},
                 "role": {"enum": ["superadmin", "admin", "user"]},
                 "email": {"type": ["string", "null"]}}}}}}""");

    private final UserRepository users;

    public UserApi(UserRepository users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    void list(Context ctx) {
        ObjectNode out = Json.object();
        var list = out.putArray("users");
        users.findAll().forEach(u -> list.add(toJson(u)));
        ctx.contentType("application/json").result(Json.write(out));
    }

    static ObjectNode toJson(User u) {
        ObjectNode o = Json.object().put("id", u.id().value()).put("username", u.name())
                .put("displayName", u.displayName()).put("role", u.role().wireName());
        if (u.email() == null) {
            o.putNull("email");
        } else {
            o.put("email", u.email());
        }
        return o;
    }
}
