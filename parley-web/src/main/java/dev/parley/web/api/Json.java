package dev.parley.web.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Set;

/**
 * JSON in and out of the API with Jackson. Input is read strictly: one object, no duplicate keys, nothing after
 * it, no fields the route does not know; every problem is an {@link ApiError#invalid} naming the field. Jackson's
 * own messages are never passed on, since they can quote the input (a password, say).
 */
public final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(64 * 1024).build());
    }

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * The request body as a JSON object with only {@code allowed} fields.
     *
     * @throws ApiError 415 when the body is not declared {@code application/json}; 400 when it is not one object
     */
    static ObjectNode body(Context ctx, Set<String> allowed) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw ApiError.of(415, "the body must be application/json");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(ctx.bodyAsBytes());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiError.invalid("body", "is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw ApiError.invalid("body", "could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.invalid("body", "must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiError.invalid(name.length() > 64 ? name.substring(0, 64) : name, "is not a known field");
            }
        }
        return (ObjectNode) node;
    }

    /** The string field {@code name}, or null when absent; 400 when it is not a string or too long. */
    static String optionalString(ObjectNode body, String name, int maxLength) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.invalid(name, "must be a string");
        }
        String s = v.textValue();
        if (s.length() > maxLength) {
            throw ApiError.invalid(name, "must be at most " + maxLength + " characters");
        }
        return s;
    }

    /** The string field {@code name}; 400 when absent, empty, not a string or too long. */
    static String requiredString(ObjectNode body, String name, int maxLength) {
        String s = optionalString(body, name, maxLength);
        if (s == null || s.isEmpty()) {
            throw ApiError.invalid(name, "is required");
        }
        return s;
    }
}
