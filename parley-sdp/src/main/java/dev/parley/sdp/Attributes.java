package dev.parley.sdp;

import dev.parley.sdp.attribute.Attribute;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Shared list edits for the withers of session and media descriptions. */
final class Attributes {
    private Attributes() {
    }

    static List<Attribute> replacing(List<Attribute> in, Predicate<Attribute> remove, List<Attribute> insert) {
        List<Attribute> out = new ArrayList<>(in.size() + insert.size());
        boolean inserted = false;
        for (Attribute a : in) {
            if (remove.test(a)) {
                if (!inserted) {
                    out.addAll(insert);
                    inserted = true;
                }
            } else {
                out.add(a);
            }
        }
        if (!inserted) {
            out.addAll(insert);
        }
        return out;
    }
}
