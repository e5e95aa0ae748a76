package org.rnnclust.data.gen;

import java.util.OptionalLong;
import org.rnnclust.data.Dataset;

/**
 * A parsed generator specification (see {@link Generators#byName}): which generator, the total
 * number of series n (a multiple of the class count), the series length, and optionally a seed
 * fixed by the spec itself.
 */
public record GeneratorSpec(String name, int n, int length, OptionalLong seed) {

    /** Generates the data set, with the spec's own seed when it has one, else with runSeed. */
    public Dataset generate(long runSeed) {
        long s = seed.orElse(runSeed);
        return switch (name) {
            case Generators.CBF -> Cbf.generate(n / Cbf.LABELS.size(), length, s);
            case Generators.SYNTHETIC_CONTROL -> SyntheticControl.generate(n / SyntheticControl.LABELS.size(), length, s);
            default -> throw new IllegalStateException("unknown generator " + name);
        };
    }

    /** Canonical form, accepted back by {@link Generators#byName}. */
    @Override
    public String toString() {
        return name + ":n=" + n + ",length=" + length + (seed.isPresent() ? ",seed=" + seed.getAsLong() : "");
    }
}
