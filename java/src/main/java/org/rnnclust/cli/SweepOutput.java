package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnclust.api.KSweep;
import org.rnnclust.data.Dataset;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.report.ReportWriter;

/**
 * What {@code train --k A..B} writes and prints about its sweep: every k's label-free scores on the
 * embeddings, the k chosen and the rule, and, where the training data have labels, each k's ACC,
 * NMI and ARI on them (shown, never used to choose).
 */
final class SweepOutput {
    private SweepOutput() {}

    /** k_sweep.json's content. */
    static Map<String, Object> json(KSweep sweep, Dataset train, Map<String, Object> provenance) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("rule", KSweep.RULE);
        root.put("chosen", sweep.chosen());
        root.put("space", "the training sequences' embeddings");
        List<Map<String, Object>> points = new ArrayList<>();
        for (KSweep.Point p : sweep.points()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k", p.k());
            m.put("silhouette", p.scores().silhouette());
            m.put("silhouette_sample", p.scores().silhouetteSample());
            m.put("davies_bouldin", p.scores().daviesBouldin());
            m.put("calinski_harabasz", p.scores().calinskiHarabasz());
            m.put("inertia", p.inertia());
            if (train.hasLabels()) {
                ClusteringScores s = ClusteringScores.of(train.labels(), p.labels());
                m.put("train_acc", s.acc());
                m.put("train_nmi", s.nmi());
                m.put("train_ari", s.ari());
            }
            points.add(m);
        }
        root.put("points", points);
        root.put("provenance", provenance);
        return root;
    }

    /** k_sweep.png. */
    static byte[] chart(KSweep sweep) {
        int[] ks = sweep.points().stream().mapToInt(KSweep.Point::k).toArray();
        double[] silhouette = sweep.points().stream().mapToDouble(p -> p.scores().silhouette()).toArray();
        double[] db = sweep.points().stream().mapToDouble(p -> p.scores().daviesBouldin()).toArray();
        return ReportWriter.sweepChart(ks, silhouette, db, sweep.chosen());
    }

    /** The sweep's table and the line that says which k was chosen and why. */
    static void print(PrintWriter w, KSweep sweep, Dataset train) {
        boolean labelled = train.hasLabels();
        w.printf(Locale.ROOT, "%4s %11s %15s %18s %12s%s%n", "k", "silhouette", "Davies-Bouldin", "Calinski-Harabasz",
                "inertia", labelled ? "  train NMI" : "");
        for (KSweep.Point p : sweep.points()) {
            w.printf(Locale.ROOT, "%4d %11.4f %15.4f %18.4g %12.4g%s%s%n", p.k(), p.scores().silhouette(),
                    p.scores().daviesBouldin(), p.scores().calinskiHarabasz(), p.inertia(),
                    labelled ? String.format(Locale.ROOT, "  %9.4f", ClusteringScores.of(train.labels(), p.labels()).nmi())
                            : "", p.k() == sweep.chosen() ? "  <- chosen" : "");
        }
        int first = sweep.points().get(0).k();
        int last = sweep.points().get(sweep.points().size() - 1).k();
        w.printf(Locale.ROOT, "k = %d chosen by %s among %d..%d (on the embeddings, without labels%s)%n",
                sweep.chosen(), KSweep.RULE, first, last, labelled ? "; train NMI is shown, not used" : "");
    }
}
