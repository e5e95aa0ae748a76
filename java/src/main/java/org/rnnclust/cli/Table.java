package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.rnnclust.data.Dataset;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.metrics.InternalScores;

/** The short result table commands print on stdout. */
final class Table {
    private Table() {}

    static void header(PrintWriter w) {
        w.printf(Locale.ROOT, "%-12s %8s %4s %12s %7s %7s %7s %9s%n",
                "method", "n", "k", "inertia", "ACC", "NMI", "ARI", "seconds");
    }

    static void row(PrintWriter w, String method, int n, int k, double inertia, ClusteringScores s, double seconds) {
        // No inertia (a refinement's soft objective is not one): a dash, not "NaN".
        String in = Double.isNaN(inertia) ? "-" : String.format(Locale.ROOT, "%.4g", inertia);
        w.printf(Locale.ROOT, "%-12s %8d %4d %12s %7s %7s %7s %9.2f%n", method, n, k, in,
                fmt(s == null ? Double.NaN : s.acc()), fmt(s == null ? Double.NaN : s.nmi()),
                fmt(s == null ? Double.NaN : s.ari()), seconds);
    }

    /** {@link #print(PrintWriter, String, Dataset, int, double, ClusteringScores, double)}, then the label-free scores. */
    static void print(PrintWriter w, String method, Dataset scored, int k, double inertia, ClusteringScores s,
                      double seconds, InternalScores internal, String space) {
        print(w, method, scored, k, inertia, s, seconds);
        internal(w, internal, scored.size(), space);
    }

    /** The label-free scores of {@code n} sequences on {@code space} (nothing when they are undefined: null). */
    static void internal(PrintWriter w, InternalScores internal, int n, String space) {
        if (internal == null) return;
        w.printf(Locale.ROOT, "without labels, on %s: silhouette %.4f%s, Davies-Bouldin %.4f, Calinski-Harabasz %.4g%n",
                space, internal.silhouette(), internal.silhouetteSample() < n
                        ? " (" + internal.silhouetteSample() + " sampled)" : "",
                internal.daviesBouldin(), internal.calinskiHarabasz());
    }

    static void print(PrintWriter w, String method, Dataset scored, int k, double inertia, ClusteringScores s,
                      double seconds) {
        w.println(describe(scored.name(), scored.size(), scored.channels(), scored.minLength(), scored.maxLength(),
                scored.hasLabels() ? scored.numClasses() : 0));
        header(w);
        row(w, method, scored.size(), k, inertia, s, seconds);
    }

    /** "NAME: N sequences, C channel(s), length T (or MIN..MAX), K classes (or no labels)". */
    static String describe(String name, int n, int channels, int minLength, int maxLength, int classes) {
        return name + ": " + n + " sequences, " + channels + " channel(s), length "
                + (minLength == maxLength ? Integer.toString(maxLength) : minLength + ".." + maxLength)
                + (classes > 0 ? ", " + classes + " classes" : ", no labels");
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
