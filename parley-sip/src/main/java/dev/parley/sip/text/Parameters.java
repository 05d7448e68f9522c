package dev.parley.sip.text;

import dev.parley.common.Ascii;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, ordered list of {@code name[=value]} parameters as they appear after {@code ;} in URIs and header
 * values. Names compare case-insensitively (RFC 3261 §7.3.1); values are kept exactly as written (a quoted-string
 * keeps its quotes, an escaped URI parameter its escapes), so serializing gives back what was parsed. A parameter
 * without {@code =} has a {@code null} value.
 */
public final class Parameters implements Iterable<Parameters.Parameter> {
    /** One parameter; {@code value} is {@code null} for a bare flag such as {@code ;lr} or {@code ;rport}. */
    public record Parameter(String name, String value) {
        public Parameter {
            Objects.requireNonNull(name, "name");
        }
    }

    public static final Parameters EMPTY = new Parameters(new Parameter[0]);

    private final Parameter[] items;

    private Parameters(Parameter[] items) {
        this.items = items;
    }

    /** Builds from a list read by a parser; duplicates are kept as written. */
    public static Parameters of(List<Parameter> parameters) {
        return parameters.isEmpty() ? EMPTY : new Parameters(parameters.toArray(new Parameter[0]));
    }

    /** Builds from the first {@code count} of an array a parser filled, which it must not change afterwards. */
    static Parameters of(Parameter[] items, int count) {
        if (count == 0) {
            return EMPTY;
        }
        return new Parameters(count == items.length ? items : Arrays.copyOf(items, count));
    }

    public int size() {
        return items.length;
    }

    public Parameter get(int index) {
        return items[index];
    }

    public boolean isEmpty() {
        return items.length == 0;
    }

    /** True when a parameter of that name is present, with or without a value. */
    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** The value of the first parameter of that name, or {@code null} when absent or a bare flag. */
    public String value(String name) {
        int i = indexOf(name);
        return i < 0 ? null : items[i].value();
    }

    /** The value with surrounding quotes removed and quoted-pairs resolved (RFC 3261 §25.1). */
    public String unquotedValue(String name) {
        String v = value(name);
        return v == null ? null : Quoting.unquote(v);
    }

    /** A copy with the parameter set (replacing the first of that name in place, or appended). */
    public Parameters with(String name, String value) {
        Parameter p = new Parameter(name, value);
        int i = indexOf(name);
        if (i >= 0) {
            Parameter[] copy = items.clone();
            copy[i] = p;
            return new Parameters(copy);
        }
        Parameter[] copy = Arrays.copyOf(items, items.length + 1);
        copy[items.length] = p;
        return new Parameters(copy);
    }

    /** A copy without any parameter of that name. */
    public Parameters without(String name) {
        if (indexOf(name) < 0) {
            return this;
        }
        List<Parameter> kept = new ArrayList<>(items.length);
        for (Parameter p : items) {
            if (!Ascii.equalsIgnoreCase(p.name(), name)) {
                kept.add(p);
            }
        }
        return of(kept);
    }

    public List<Parameter> asList() {
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    @Override
    public Iterator<Parameter> iterator() {
        return asList().iterator();
    }

    /** Appends each parameter as {@code separator name[=value]}. */
    public void appendTo(StringBuilder out, char separator) {
        for (Parameter p : items) {
            out.append(separator).append(p.name());
            if (p.value() != null) {
                out.append('=').append(p.value());
            }
        }
    }

    private int indexOf(String name) {
        for (int i = 0; i < items.length; i++) {
            if (Ascii.equalsIgnoreCase(items[i].name(), name)) {
                return i;
            }
        }
        return -1;
    }

    /** Equal when the same names (ignoring case) carry the same values in the same order. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Parameters other) || other.items.length != items.length) {
            return false;
        }
        for (int i = 0; i < items.length; i++) {
            if (!Ascii.equalsIgnoreCase(items[i].name(), other.items[i].name())
                    || !Objects.equals(items[i].value(), other.items[i].value())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Parameter p : items) {
            h = 31 * h + Ascii.hashCodeIgnoreCase(p.name());
            h = 31 * h + Objects.hashCode(p.value());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb, ';');
        return sb.toString();
    }
}
