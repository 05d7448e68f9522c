package dev.parley.sip.message;

import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The header fields of one message, in the order they travelled, with typed values read on first use.
 *
 * <p>Immutable from the outside. The typed cache is filled lazily; a race fills a slot twice with equal immutable
 * values, which is harmless (the same reasoning as {@code String.hashCode}).
 */
public final class Headers implements Iterable<HeaderField> {
    static final Headers EMPTY = new Headers(new HeaderField[0], new Object[0]);

    private final HeaderField[] fields;
    private final Object[] typed;

    Headers(HeaderField[] fields, Object[] typed) {
        this.fields = fields;
        this.typed = typed;
    }

    /** Headers from fields alone; typed values are read on demand. */
    public static Headers of(List<HeaderField> fields) {
        HeaderField[] array = fields.toArray(new HeaderField[0]);
        return new Headers(array, new Object[array.length]);
    }

    public int size() {
        return fields.length;
    }

    public HeaderField get(int index) {
        return fields[index];
    }

    public List<HeaderField> asList() {
        return Collections.unmodifiableList(Arrays.asList(fields));
    }

    @Override
    public Iterator<HeaderField> iterator() {
        return asList().iterator();
    }

    public boolean contains(HeaderName name) {
        return indexOf(name, 0) >= 0;
    }

    /** How many field lines carry this header (a line may hold several comma-separated values). */
    public int count(HeaderName name) {
        int n = 0;
        for (HeaderField f : fields) {
            if (f.name().equals(name)) {
                n++;
            }
        }
        return n;
    }

    /** The raw value of the first field of that name, or {@code null}. */
    public String value(HeaderName name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : fields[i].value();
    }

    /** The raw values of every field of that name, in order. */
    public List<String> values(HeaderName name) {
        List<String> out = new ArrayList<>(2);
        for (HeaderField f : fields) {
            if (f.name().equals(name)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /**
     * The typed value of a single-valued header, or {@code null} when absent.
     *
     * @throws dev.parley.sip.text.SipSyntaxException when the value is malformed (answer {@code 400})
     */
    @SuppressWarnings("unchecked")
    public <T> T single(HeaderType<T> type) {
        int i = indexOf(type.name(), 0);
        if (i < 0) {
            return null;
        }
        Object value = typedAt(i, type);
        if (!type.isList()) {
            return (T) value;
        }
        // an empty Supported or Allow line (RFC 3261 §20.37, §20.5) is an empty list
        List<T> values = (List<T>) value;
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * Every value of a list header across all its field lines, in order; empty when absent.
     *
     * @throws dev.parley.sip.text.SipSyntaxException when a value is malformed (answer {@code 400})
     */
    @SuppressWarnings("unchecked")
    public <T> List<T> list(HeaderType<T> type) {
        List<T> first = null;
        List<T> all = null;
        for (int i = 0; i < fields.length; i++) {
            if (!fields[i].name().equals(type.name())) {
                continue;
            }
            Object value = typedAt(i, type);
            List<T> values = type.isList() ? (List<T>) value : List.of((T) value);
            if (first == null) {
                first = values;
            } else {
                if (all == null) {
                    all = new ArrayList<>(first);
                }
                all.addAll(values);
            }
        }
        if (all != null) {
            return Collections.unmodifiableList(all);
        }
        return first == null ? List.of() : first;
    }

    /**
     * Reads every field of {@code type}'s header into its typed value now, as the parser does for the headers it
     * checks; later reads of them return the cached values.
     *
     * @throws dev.parley.sip.text.SipSyntaxException when a value is malformed (answer {@code 400})
     */
    public void parseAll(HeaderType<?> type) {
        HeaderName name = type.name();
        for (int i = 0; i < fields.length; i++) {
            HeaderName n = fields[i].name();
            if (n == name || (!name.isKnown() && n.equals(name))) {
                typedAt(i, type);
            }
        }
    }

    /**
     * Reads field {@code index} into its typed value now, as {@link #parseAll} does for every field of a header.
     *
     * @throws dev.parley.sip.text.SipSyntaxException when the value is malformed (answer {@code 400})
     * @throws IllegalArgumentException when the field is not of {@code type}'s header
     */
    public void parseAt(int index, HeaderType<?> type) {
        if (!fields[index].name().equals(type.name())) {
            throw new IllegalArgumentException("field " + index + " is " + fields[index].name() + ", not " + type);
        }
        typedAt(index, type);
    }

    /**
     * A copy in which the first field of list header {@code type}, when it holds exactly one value, is {@code field}
     * with the typed value {@code value}, in the same place; {@code null} when there is no such field or it holds
     * several values (a caller then goes through the builder).
     *
     * @throws dev.parley.sip.text.SipSyntaxException when that field was not read yet and is malformed
     */
    <T> Headers replacingSoleFirstValue(HeaderType<T> type, HeaderField field, T value) {
        int i = indexOf(type.name(), 0);
        if (i < 0 || !type.isList() || ((List<?>) typedAt(i, type)).size() != 1) {
            return null;
        }
        HeaderField[] f = fields.clone();
        Object[] t = typed.clone();
        f[i] = field;
        t[i] = List.of(value);
        return new Headers(f, t);
    }

    /** The cached typed value of field {@code i}: a {@code List<T>} for list headers, a {@code T} otherwise. */
    private Object typedAt(int i, HeaderType<?> type) {
        Object cached = typed[i];
        if (cached == null) {
            String v = fields[i].value();
            cached = type.isList() ? type.parseList(v) : type.parseSingle(v);
            typed[i] = cached;
        }
        return cached;
    }

    private int indexOf(HeaderName name, int from) {
        for (int i = from; i < fields.length; i++) {
            if (fields[i].name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    HeaderField[] fields() {
        return fields;
    }

    Object[] typed() {
        return typed;
    }
}
