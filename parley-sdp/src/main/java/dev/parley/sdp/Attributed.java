package dev.parley.sdp;

import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.AttributeGrammar;
import dev.parley.sdp.attribute.Extmap;
import dev.parley.sdp.attribute.Fingerprint;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Setup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of the attributes a session and a media description share. The attribute list is the truth, kept
 * in order and byte for byte; these methods parse on demand and skip a value that does not parse (the parser
 * refuses such values, so only hand-built descriptions can hold one).
 */
public interface Attributed {

    /** Every {@code a=} line in order. */
    List<Attribute> attributes();

    // Plain loops rather than streams below: offer/answer reads these many times per call (issue 3's profile).

    default List<Attribute> attributes(String name) {
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : attributes()) {
            if (a.is(name)) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    default Optional<Attribute> attribute(String name) {
        for (Attribute a : attributes()) {
            if (a.is(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The value of the first attribute of this name that has one. */
    default Optional<String> attributeValue(String name) {
        for (Attribute a : attributes()) {
            if (a.value() != null && a.is(name)) {
                return Optional.of(a.value());
            }
        }
        return Optional.empty();
    }

    default boolean hasAttribute(String name) {
        for (Attribute a : attributes()) {
            if (a.is(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The direction attribute written at this level, if any (RFC 8866 §6.7). When several are present (which is
     * invalid), the last one wins, as in most stacks.
     */
    default Optional<MediaDirection> direction() {
        Optional<MediaDirection> found = Optional.empty();
        for (Attribute a : attributes()) {
            Optional<MediaDirection> d = MediaDirection.fromAttributeName(a.name());
            if (d.isPresent()) {
                found = d;
            }
        }
        return found;
    }

    default List<Fingerprint> fingerprints() {
        return typed(Fingerprint.NAME, Fingerprint::parse);
    }

    default Optional<Setup> setup() {
        return attributeValue("setup").flatMap(Setup::parse);
    }

    default Optional<String> iceUfrag() {
        return attributeValue("ice-ufrag");
    }

    /** A secret (RFC 8839 §5.4): never log it. */
    default Optional<String> icePwd() {
        return attributeValue("ice-pwd");
    }

    default List<String> iceOptions() {
        return attributeValue("ice-options").map(AttributeGrammar::iceOptions).orElse(List.of());
    }

    default List<Extmap> extmaps() {
        return typed(Extmap.NAME, Extmap::parse);
    }

    /** Parses every attribute of this name, skipping values that do not parse. */
    default <T> List<T> typed(String name, Function<String, Optional<T>> parser) {
        List<T> out = new ArrayList<>();
        for (Attribute a : attributes()) {
            if (a.is(name) && a.value() != null) {
                parser.apply(a.value()).ifPresent(out::add);
            }
        }
        return out;
    }
}
