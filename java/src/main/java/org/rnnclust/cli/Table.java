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
        if (internal == null) return;
        w.printf(Locale.ROOT, "without labels, on %s: silhouette %.4f%s, Davies-Bouldin %.4f, Calinski-Harabasz %.4g%n",
                space, internal.silhouette(), internal.silhouetteSample() < scored.size()
                        ? " (" + internal.silhouetteSample() + " sampled)" : "",
                internal.daviesBouldin(), internal.calinskiHarabasz());
    }

    static void print(PrintWriter w, String method, Dataset scored, int k, double inertia, ClusteringScores s,
                      double seconds) {
        w.println(scored.name() + ": " + scored.size() + " sequences, " + scored.channels() + " channel(s), length "
                + (scored.equalLength() ? scored.maxLength() : scored.minLength() + ".." + scored.maxLength())
                + (scored.hasLabels() ? ", " + scored.numClasses() + " classes" : ", no labels"));
        header(w);
        row(w, method, scored.size(), k, inertia, s, seconds);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
