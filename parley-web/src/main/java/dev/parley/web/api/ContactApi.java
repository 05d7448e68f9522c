package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.contacts.Contact;
import dev.parley.pbx.contacts.Contacts;
import dev.parley.pbx.contacts.Picture;
import dev.parley.pbx.contacts.PictureType;
import dev.parley.pbx.directory.UserId;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The signed-in user's contacts and their pictures. Every route is under {@code /api/me}: another user's contact id
 * is answered {@code 404} like an unknown one.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code GET /api/me/contacts}</td><td>{@code {"contacts": [{id, displayName, extension, phoneNumbers,
 *       email, hasPicture}]}} by name</td></tr>
 *   <tr><td>{@code POST /api/me/contacts} {@code {displayName, extension?, phoneNumbers?, email?}}</td><td>{@code
 *       201} the contact; {@code 400} naming the field (rules in {@link Contacts}); {@code 409} at 1000
 *       contacts</td></tr>
 *   <tr><td>{@code PUT /api/me/contacts/{id}} (same body)</td><td>{@code 200} the contact (its picture
 *       stays)</td></tr>
 *   <tr><td>{@code DELETE /api/me/contacts/{id}}</td><td>{@code 204}, picture included</td></tr>
 *   <tr><td>{@code PUT /api/me/contacts/{id}/picture}, raw body {@code image/png|jpeg|webp}</td><td>{@code 204};
 *       {@code 413} over 256 KiB (a body of up to 1 MiB read to its end first, so the answer reaches the client
 *       and the connection stays; a larger one unread, the connection closed); {@code 400} when the bytes are not
 *       a PNG, JPEG or WebP by their magic bytes, or are another of the three than the Content-Type says</td></tr>
 *   <tr><td>{@code GET /api/me/contacts/{id}/picture}</td><td>the bytes with the detected type,
 *       {@code Cache-Control: private}, {@code X-Content-Type-Options: nosniff}; {@code 404} without one</td></tr>
 *   <tr><td>{@code DELETE /api/me/contacts/{id}/picture}</td><td>{@code 204}</td></tr>
 * </table>
 */
public final class ContactApi implements ApiModule {
    private static final int MAX_ID = 64;
    private static final Set<String> FIELDS = Set.of("displayName", "extension", "phoneNumbers", "email");

    static final JsonNode DRAFT = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["displayName"],
             "properties": {
               "displayName": {"type": "string", "minLength": 1, "maxLength": 100},
               "extension": {"type": ["string", "null"], "maxLength": 32},
               "phoneNumbers": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 32}},
               "email": {"type": ["string", "null"], "maxLength": 254}}}""");
    private static final String CONTACT_SCHEMA = """
            {"type": "object", "required": ["id", "displayName", "extension", "phoneNumbers", "email", "hasPicture"],
             "properties": {
               "id": {"type": "string"},
               "displayName": {"type": "string"},
               "extension": {"type": ["string", "null"]},
               "phoneNumbers": {"type": "array", "items": {"type": "string"}},
               "email": {"type": ["string", "null"]},
               "hasPicture": {"type": "boolean"}}}""";
    static final JsonNode CONTACT = Schemas.parse(CONTACT_SCHEMA);
    static final JsonNode LIST = Schemas.parse("{\"type\": \"object\", \"required\": [\"contacts\"], \"properties\":"
            + " {\"contacts\": {\"type\": \"array\", \"items\": " + CONTACT_SCHEMA + "}}}");

    private final Contacts contacts;

    public ContactApi(Contacts contacts) {
        this.contacts = Objects.requireNonNull(contacts, "contacts");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.of(HandlerType.GET, "/api/me/contacts", Access.SIGNED_IN, "The caller's contacts",
                        this::list).answers(200, LIST),
                ApiRoute.of(HandlerType.POST, "/api/me/contacts", Access.SIGNED_IN, "Add a contact", this::create)
                        .takes(DRAFT).answers(201, CONTACT),
                ApiRoute.of(HandlerType.PUT, "/api/me/contacts/{id}", Access.SIGNED_IN,
                        "Change a contact (its picture stays)", this::update).takes(DRAFT).answers(200, CONTACT),
                ApiRoute.of(HandlerType.DELETE, "/api/me/contacts/{id}", Access.SIGNED_IN,
                        "Delete a contact and its picture", this::delete).answers(204, null),
                ApiRoute.of(HandlerType.PUT, "/api/me/contacts/{id}/picture", Access.SIGNED_IN,
                        "Set a contact's picture: the raw bytes as image/png, image/jpeg or image/webp, at most"
                                + " 256 KiB", this::putPicture).answers(204, null),
                ApiRoute.of(HandlerType.GET, "/api/me/contacts/{id}/picture", Access.SIGNED_IN,
                        "A contact's picture (image/png, image/jpeg or image/webp)", this::getPicture),
                ApiRoute.of(HandlerType.DELETE, "/api/me/contacts/{id}/picture", Access.SIGNED_IN,
                        "Remove a contact's picture", this::deletePicture).answers(204, null));
    }

    void list(Context ctx) {
        UserId owner = ApiGuard.principalOf(ctx).user().id();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("contacts");
        contacts.list(owner).forEach(c -> list.add(toJson(c)));
        ctx.contentType("application/json").result(Json.write(out));
    }

    void create(Context ctx) {
        UserId owner = ApiGuard.principalOf(ctx).user().id();
        Contacts.Draft draft = draft(Json.body(ctx, FIELDS));
        Contact c = checked(() -> contacts.create(owner, draft)).orElseThrow(() -> ApiError.of(409,
                "at most " + Contacts.MAX_PER_USER + " contacts per user"));
        ctx.status(201).contentType("application/json").result(Json.write(toJson(c)));
    }

    void update(Context ctx) {
        UserId owner = ApiGuard.principalOf(ctx).user().id();
        String id = id(ctx);
        Contacts.Draft draft = draft(Json.body(ctx, FIELDS));
        Contact c = checked(() -> contacts.update(owner, id, draft)).orElseThrow(ContactApi::noSuchContact);
        ctx.contentType("application/json").result(Json.write(toJson(c)));
    }

    void delete(Context ctx) {
        UserId owner = ApiGuard.principalOf(ctx).user().id();
        if (!contacts.delete(owner, id(ctx))) {
            throw noSuchContact();
        }
        ctx.status(204);
    }

    void putPicture(Context ctx) {
        UserId owner = ApiGuard.principalOf(ctx).user().id();
        String id = id(ctx);
        String declared = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
        Optional<PictureType> declaredType = PictureType.ofMediaType(declared);
        if (declaredType.isEmpty()) {
            throw ApiError.invalid("Content-Type", "must be image/png, image/jpeg or image/webp");
        }
        byte[] bytes = readAtMost(ctx, Contacts.MAX_PICTURE_BYTES);
        Optional<PictureType> actual = PictureType.detect(bytes);
        if (actual.isPresent() && actual.get() != declaredType.get()) {
            throw ApiError.invalid("Content-Type", "says " + declaredType.get().mediaType() + " but the bytes are "
                    + actual.get().mediaType());
        }
        switch (contacts.setPicture(owner, id, bytes)) {
            case STORED -> ctx.status(204);
            case NO_SUCH_CONTACT -> throw noSuchContact();
            case TOO_LARGE -> throw tooLarge();
            case NOT_PNG_JPEG_OR_WEBP -> throw ApiError.invalid("body", "is not a PNG, JPEG or WebP image (judged"
                    + " by its first bytes)");
        }
    }

    void getPicture(Context ctx) {
        UserId owner = ApiGuard.principalOf(ctx).user().id();
        Picture p = contacts.picture(owner, id(ctx)).orElseThrow(() -> ApiError.of(404, "no such picture"));
        // the user's own data: a private cache may keep it, a shared one must not; the type is what the bytes are
        ctx.header("Cache-Control", "private");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(p.type().mediaType()).result(p.bytes());
    }

    void deletePicture(Context ctx) {
        UserId owner = ApiGuard.principalOf(ctx).user().id();
        if (!contacts.removePicture(owner, id(ctx))) {
            throw noSuchContact();
        }
        ctx.status(204);
    }

    /**
     * How much of a refused picture is still read and thrown away before the 413. A connection closed while the
     * client is still sending makes the server's TCP stack answer the rest with a reset, which can erase the 413
     * before the browser reads it (RFC 9112 §9.6): Chromium then reports a network error, and the page said "the
     * server cannot be reached" for a 300 KiB picture in one of three runs of WebphoneFeaturesIT. Read to the end,
     * the answer arrives and the connection stays. Past this bound the body is left unread and the connection
     * closes ({@code UnreadBody}): reading more would be work the client chooses.
     */
    static final int REFUSED_BODY_READ_LIMIT = 4 * Contacts.MAX_PICTURE_BYTES;

    /** The body, refused with 413 as soon as it passes {@code max} bytes (the rest read within a bound, above). */
    private static byte[] readAtMost(Context ctx, int max) {
        long declared = ctx.contentLength();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > max) {
                if (declared <= REFUSED_BODY_READ_LIMIT) {
                    discard(in, REFUSED_BODY_READ_LIMIT);
                }
                throw tooLarge();
            }
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                discard(in, REFUSED_BODY_READ_LIMIT - bytes.length);
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.invalid("body", "could not be read");
        }
    }

    /** Reads and drops at most {@code limit} bytes; a body that cannot be read is left to {@code UnreadBody}. */
    private static void discard(InputStream in, long limit) {
        try {
            byte[] sink = new byte[8192];
            long left = limit;
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) != -1) {
                left -= n;
            }
        } catch (IOException e) {
            // the client stopped sending: nothing to keep the connection for
        }
    }

    private static ApiError tooLarge() {
        return ApiError.of(413, "the picture is larger than " + Contacts.MAX_PICTURE_BYTES + " bytes (256 KiB)");
    }

    private static ApiError noSuchContact() {
        return ApiError.of(404, "no such contact");
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.isEmpty() || id.length() > MAX_ID) {
            throw noSuchContact();
        }
        return id;
    }

    private static <T> T checked(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (Contacts.Invalid e) {
            throw ApiError.invalid(e.field(), e.getMessage());
        }
    }

    private static Contacts.Draft draft(ObjectNode body) {
        String name = Json.requiredString(body, "displayName", Contacts.MAX_NAME);
        String extension = Json.optionalString(body, "extension", Contacts.MAX_NUMBER);
        String email = Json.optionalString(body, "email", Contacts.MAX_EMAIL);
        List<String> numbers = new ArrayList<>();
        JsonNode n = body.get("phoneNumbers");
        if (n != null && !n.isNull()) {
            if (!n.isArray() || n.size() > Contacts.MAX_NUMBERS) {
                throw ApiError.invalid("phoneNumbers", "must be a list of at most " + Contacts.MAX_NUMBERS
                        + " strings");
            }
            for (int i = 0; i < n.size(); i++) {
                if (!n.get(i).isTextual()) {
                    throw ApiError.invalid("phoneNumbers[" + i + "]", "must be a string");
                }
                numbers.add(n.get(i).textValue());
            }
        }
        return new Contacts.Draft(name, extension, numbers, email);
    }

    static ObjectNode toJson(Contact c) {
        ObjectNode o = Json.object().put("id", c.id()).put("displayName", c.displayName())
                .put("extension", c.extension());
        ArrayNode numbers = o.putArray("phoneNumbers");
        c.phoneNumbers().forEach(numbers::add);
        return o.put("email", c.email()).put("hasPicture", c.hasPicture());
    }
}
