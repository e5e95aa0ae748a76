package org.rnnclust.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnnclust.InputException;
import org.rnnclust.api.KSweep;
import org.rnnclust.api.Methods;
import org.rnnclust.data.Dataset;
import picocli.CommandLine.Option;

/**
 * --k and --seed: what every clustering method is fitted with beside the data, whatever the method
 * (its own settings are in its command, or in {@link KMeansMixin} for the k-means family).
 */
final class ClusteringMixin {
    @Option(names = "--k", paramLabel = "K|A..B",
            description = "Number of clusters. train also takes a range A..B: it fits every k on one representation "
                    + "(reservoirs drawn, or the autoencoder pretrained, once), keeps the k with the highest silhouette "
                    + "and writes the sweep to k_sweep.json. Default: the number of classes when the data have labels.")
    String k;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Random seed; the same seed gives the same result. Default: ${DEFAULT-VALUE}.")
    long seed;

    private static final Pattern RANGE = Pattern.compile("(\\d+)\\.\\.(\\d+)");

    /** --k, or 0 for one cluster per class (what the library does with 0). */
    int clusters() {
        if (k == null) return 0;
        if (isRange()) throw new InputException("--k " + k + ": a range of k is for train; give one number");
        int value;
        try {
            value = Integer.parseInt(k.strip());
        } catch (NumberFormatException e) {
            throw new InputException("--k must be a whole number (or, for train, a range A..B), got '" + k + "'");
        }
        if (value < 1) throw new InputException("--k must be >= 1, got " + value);
        return value;
    }

    /** Whether --k is a range A..B. */
    boolean isRange() {
        return k != null && RANGE.matcher(k.strip()).matches();
    }

    /** The k of the range A..B, checked against the training sequences. */
    int[] range(int sequences) {
        Matcher m = RANGE.matcher(k.strip());
        if (!m.matches()) throw new IllegalStateException("--k is not a range");
        try {
            return KSweep.range(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), sequences);
        } catch (NumberFormatException e) {
            throw new InputException("--k " + k + ": the range's ends are too large");
        }
    }

    /** --k, or the number of classes of {@code train}'s labels; at most its size. */
    int k(Dataset train) {
        return Methods.clustersFor(clusters(), train);
    }
}
