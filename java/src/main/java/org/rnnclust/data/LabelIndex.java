package org.rnnclust.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps label strings to indices 0..L-1 in order of first appearance (or declared order). */
public final class LabelIndex {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    public LabelIndex() {}

    public LabelIndex(List<String> declared) {
        declared.forEach(this::indexOf);
    }

    public int indexOf(String label) {
        return index.computeIfAbsent(label, l -> {
            names.add(l);
            return names.size() - 1;
        });
    }

    public boolean contains(String label) { return index.containsKey(label); }

    public List<String> names() { return List.copyOf(names); }
}
