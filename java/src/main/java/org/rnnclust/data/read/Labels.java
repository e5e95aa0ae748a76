package org.rnnclust.data.read;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rnnclust.data.LabelIndex;

/** Class labels read as text, turned into indices and names the same way by every reader. */
final class Labels {
    private Labels() {}

    /** Label indices into {@code names}. */
    record Indexed(int[] labels, List<String> names) {}

    /**
     * Integral numbers are written as integers, so the old UCR "1.0000000e+00" and the new "1" are
     * the same class. Anything else is kept as written.
     */
    static String normalise(String label) {
        if (!Values.isNumber(label)) return label;
        double d = Double.parseDouble(label);
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return label;
    }

    /**
     * Indexes labels as written. Names are sorted by value when every label is a number ("2" before
     * "10"), otherwise kept in order of first appearance.
     */
    static Indexed index(List<String> raw) {
        String[] normalised = raw.stream().map(Labels::normalise).toArray(String[]::new);
        Set<String> distinct = new LinkedHashSet<>(List.of(normalised));
        List<String> names = List.copyOf(distinct);
        if (distinct.stream().allMatch(Values::isNumber)) {
            names = distinct.stream().sorted(Comparator.comparingDouble(Double::parseDouble)).toList();
        }
        LabelIndex index = new LabelIndex(names);
        int[] labels = new int[normalised.length];
        for (int i = 0; i < labels.length; i++) labels[i] = index.indexOf(normalised[i]);
        return new Indexed(labels, index.names());
    }
}
