package dev.parley.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** JSON Schemas (2020-12) of request and response bodies, written as JSON next to the handler they describe. */
final class Schemas {
    /** {@code {"error": …, "field": …, "problem": …}}: what {@link ApiError} becomes. */
    static final JsonNode ERROR = parse("""
            {"type": "object", "required": ["error"],
             "properties": {
               "error": {"type": "string"},
               "field": {"type": "string", "description": "for 400: the field at fault (body: the whole document)"},
               "problem": {"type": "string", "description": "for 400: what is wrong with it"}}}""");

    private Schemas() {
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schema literal is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
