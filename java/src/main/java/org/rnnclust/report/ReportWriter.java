package org.rnnclust.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnnclust.InputException;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.linalg.PrincipalAxes;
import org.rnnclust.metrics.Hungarian;

/**
 * Writes a report folder: {@code index.html} and the PNG plots it links, all at once (through
 * {@link OutputFolder}) or not at all. Plots are drawn by XChart off-screen (headless AWT).
 */
public final class ReportWriter {
    public static final String INDEX = "index.html";
    /** Cluster-mean plots drawn at most (one PNG each). */
    static final int MAX_CLUSTER_PLOTS = 24;
    /** Channel-mean heat maps only up to this many (step, channel) cells: beyond, the labels and cells blur. */
    static final int MAX_HEATMAP_CELLS = 20_000;
    /** Points drawn at most in a scatter plot (an even stride through the items beyond). */
    static final int MAX_POINTS = 5000;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ReportWriter() {}

    /** Writes the report of one clustering into {@code dir}; returns the path of index.html. */
    public static Path write(Path dir, ClusteringReport r) {
        Page page = new Page(r.title());
        page.facts(r.facts());
        if (!r.stages().isEmpty()) page.table("Scores before and after refinement", r.stages());
        if (!r.lossHistory().isEmpty()) {
            page.plot("loss.png", "Training loss per epoch", lossChart(r.lossHistory(), "Training loss", "loss"));
        }
        if (!r.refineKl().isEmpty()) {
            page.plot("refine_kl.png", "Refinement: mean KL(P‖Q) of each epoch's batches",
                    lossChart(r.refineKl(), "Refinement objective", "KL(P‖Q)"));
        }
        int k = 0;
        for (int c : r.clusters()) k = Math.max(k, c + 1);
        // With labels, each cluster takes the colour of the class it is matched to (the matching ACC
        // uses), so that the two scatter plots read alike; the confusion matrix lists the clusters in
        // that order, its matches on the diagonal.
        int[] colourOf = r.labels() == null ? identity(k) : matchedColours(r.clusters(), r.labels(), k,
                classes(r.labels(), r.labelNames()));
        float[] xy = projection2d(r.embeddings(), r.clusters().length, r.dimensions());
        page.plot("embedding_clusters.png", "Embeddings, first two principal components, coloured by cluster"
                        + (r.labels() == null ? "" : " (in the colour of the class each is matched to)"),
                scatter(xy, r.clusters(), null, "cluster ", colourOf));
        if (r.labels() != null) {
            page.plot("embedding_labels.png", "Embeddings, first two principal components, coloured by label",
                    scatter(xy, r.labels(), r.labelNames(), "label ", identity(classes(r.labels(), r.labelNames()))));
            page.plot("confusion.png", "Confusion matrix: clusters (rows, in the order of their matched classes) "
                    + "against labels (columns)", confusion(r.clusters(), r.labels(), r.labelNames(), colourOf));
        }
        if (r.sequences() != null) {
            PaddedSequences s = r.sequences();
            // One channel's band is what a line plot can show; the most variable one says the most
            // (MNIST's channel 0, the left pixel column, is blank in every image).
            int channel = mostVariableChannel(s);
            String which = s.channels() == 1 ? "" : " of channel " + channel + " (the most variable of " + s.channels() + ")";
            boolean heatmap = s.channels() > 1 && (long) s.channels() * s.maxLength() <= MAX_HEATMAP_CELLS;
            for (int c = 0; c < Math.min(k, MAX_CLUSTER_PLOTS); c++) {
                page.plot(String.format("cluster_%02d.png", c), "Cluster " + c + ": mean sequence ± 1 std" + which,
                        clusterMean(s, r.clusters(), c, channel));
                if (r.reconstructions() != null) {
                    page.plot(String.format("cluster_%02d_reconstruction.png", c), "Cluster " + c + ": up to "
                            + RECONSTRUCTED_ITEMS + " of its sequences (solid) and the autoencoder's reconstructions "
                            + "(dashed)" + which, reconstructionChart(s, r.reconstructions(), r.clusters(), c, channel));
                }
                if (heatmap) {
                    page.plot(String.format("cluster_%02d_channels.png", c),
                            "Cluster " + c + ": mean of every channel at every step", channelMeans(s, r.clusters(), c));
                }
            }
            if (k > MAX_CLUSTER_PLOTS) page.note("(" + (k - MAX_CLUSTER_PLOTS) + " more clusters not drawn)");
        }
        if (!r.settings().isEmpty()) page.table("Settings (every flag in effect, defaults included)", rows(r.settings()));
        return page.write(dir);
    }

    /** Colour-blind-safe colours (Okabe and Ito), then more; class or matched cluster i takes colour i. */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000),
        new Color(0x999999), new Color(0x882255), new Color(0x44AA99), new Color(0x117733)};

    static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private static int classes(int[] labels, List<String> names) {
        int l = Math.max(names.size(), 1);
        for (int v : labels) l = Math.max(l, v + 1);
        return l;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /**
     * For each of k clusters, the colour index it is drawn in: the class it is matched to (the
     * one-to-one matching with the most items in common), and for clusters left unmatched (more
     * clusters than classes) the indices after the classes'.
     */
    static int[] matchedColours(int[] clusters, int[] labels, int k, int classes) {
        int[][] counts = new int[k][classes];
        for (int i = 0; i < clusters.length; i++) counts[clusters[i]][labels[i]]++;
        int[] match = Hungarian.maximize(counts);
        int next = classes;
        int[] colour = new int[k];
        for (int c = 0; c < k; c++) colour[c] = match[c] >= 0 ? match[c] : next++;
        return colour;
    }

    private static List<List<String>> rows(Map<String, String> values) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("setting", "value"));
        values.forEach((name, value) -> rows.add(List.of(name, value)));
        return rows;
    }

    /** Writes the evaluate report into {@code dir}; returns the path of index.html. */
    public static Path write(Path dir, EvaluationReport r) {
        Page page = new Page(r.title());
        page.facts(r.facts());
        // At most NMI_DATASETS_PER_CHART datasets per chart: the suite's 41 datasets in one made a
        // 4096-pixel-wide strip whose bars shrank to slivers on the page.
        int n = r.datasets().size();
        int charts = Math.max(1, (n + NMI_DATASETS_PER_CHART - 1) / NMI_DATASETS_PER_CHART);
        for (int c = 0; c < charts; c++) {
            int from = c * NMI_DATASETS_PER_CHART;
            int to = Math.min(n, from + NMI_DATASETS_PER_CHART);
            String name = charts == 1 ? "nmi.png" : "nmi_" + (c + 1) + ".png";
            String caption = charts == 1 ? "NMI per dataset and method (mean over seeds, bars ± sample std)"
                    : "NMI per dataset and method (mean over seeds, bars ± sample std), datasets " + (from + 1) + "–"
                    + to + " of " + n;
            page.plot(name, caption, nmiBars(r, from, to));
        }
        page.table("Methods ranked by NMI on each dataset (1 = best; ties share their mean rank): the mean rank "
                + "over the datasets, and the datasets where the method is best", rankTable(r));
        page.table("Stability over seeds: NMI mean ± std [min, max]; agreement = mean ARI between the seeds' "
                + "partitions (– with one seed); |ΔNMI| = the sensitivity probe's mean change (– where it did not run)",
                stabilityTable(r));
        page.markdown(r.markdown());
        return page.write(dir);
    }

    // ---- charts -------------------------------------------------------------------------------

    /**
     * The PNG of a sweep over k: each k's silhouette (higher is better) and Davies–Bouldin index
     * (lower is better), the chosen k marked.
     */
    public static byte[] sweepChart(int[] ks, double[] silhouette, double[] daviesBouldin, int chosen) {
        XYChart chart = new XYChartBuilder().width(720).height(420)
                .title("Label-free scores against k (chosen: k = " + chosen + ")").xAxisTitle("k").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        double[] x = new double[ks.length];
        for (int i = 0; i < ks.length; i++) x[i] = ks[i];
        chart.addSeries("silhouette (left axis, higher is better)", x, silhouette);
        // Its own axis: the two scores live on different scales.
        chart.addSeries("Davies-Bouldin (right axis, lower is better)", x, daviesBouldin).setYAxisGroup(1);
        chart.setYAxisGroupTitle(0, "silhouette");
        chart.setYAxisGroupTitle(1, "Davies-Bouldin");
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        double best = 0;
        for (int i = 0; i < ks.length; i++) if (ks[i] == chosen) best = silhouette[i];
        chart.addSeries("chosen k", new double[] {chosen}, new double[] {best})
                .setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static XYChart lossChart(List<Double> loss, String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        double[] x = new double[loss.size()];
        double[] y = new double[loss.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = loss.get(i);
        }
        chart.addSeries("loss", x, y).setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /** The first two principal components of the embeddings (the second is zero for 1-D embeddings). */
    static float[] projection2d(float[] emb, int n, int d) {
        if (d >= 2 && n >= 3) {
            return PrincipalAxes.fit(emb, n, d, ratios -> 2).project(emb, n);
        }
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) xy[2 * i] = emb[i * d];
        return xy;
    }

    /** @param colourOf the colour index of each group */
    private static XYChart scatter(float[] xy, int[] groups, List<String> names, String prefix, int[] colourOf) {
        XYChart chart = new XYChartBuilder().width(720).height(560).xAxisTitle("PC 1").yAxisTitle("PC 2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int n = groups.length;
        int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        Map<Integer, List<double[]>> byGroup = new java.util.TreeMap<>();
        for (int i = 0; i < n; i += stride) {
            byGroup.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(new double[] {xy[2 * i], xy[2 * i + 1]});
        }
        for (Map.Entry<Integer, List<double[]>> e : byGroup.entrySet()) {
            List<double[]> pts = e.getValue();
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            String name = names != null && e.getKey() < names.size() ? prefix + names.get(e.getKey()) : prefix + e.getKey();
            XYSeries series = chart.addSeries(name, x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(colour(colourOf[e.getKey()]));
        }
        return chart;
    }

    /** @param order each cluster's place among the rows (its matched class first, see {@link #matchedColours}) */
    private static HeatMapChart confusion(int[] clusters, int[] labels, List<String> labelNames, int[] order) {
        int k = order.length;
        int l = classes(labels, labelNames);
        int[][] counts = new int[k][l];
        for (int i = 0; i < clusters.length; i++) counts[clusters[i]][labels[i]]++;
        List<String> xs = new ArrayList<>();
        for (int j = 0; j < l; j++) xs.add(j < labelNames.size() ? labelNames.get(j) : String.valueOf(j));
        Integer[] rows = new Integer[k];
        for (int c = 0; c < k; c++) rows[c] = c;
        java.util.Arrays.sort(rows, java.util.Comparator.comparingInt(c -> order[c]));
        List<String> ys = new ArrayList<>();
        for (int c : rows) ys.add("cluster " + c);
        List<Number[]> cells = new ArrayList<>();
        for (int row = 0; row < k; row++) {
            for (int j = 0; j < l; j++) cells.add(new Number[] {j, row, counts[rows[row]][j]});
        }
        int size = Math.min(1400, 240 + 36 * Math.max(k, l));
        HeatMapChart chart = new HeatMapChartBuilder().width(size + 160).height(size).title("Confusion matrix")
                .xAxisTitle("label").yAxisTitle("cluster").build();
        chart.getStyler().setShowValue(Math.max(k, l) <= 20);
        // Light to mid blue: the black counts stay readable on the fullest cells.
        chart.getStyler().setRangeColors(new Color[] {new Color(255, 255, 255), new Color(198, 219, 239),
                new Color(107, 174, 214)});
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("counts", xs, ys, cells);
        return chart;
    }

    /** The channel whose values (over every valid step of every sequence) vary most; the lowest on ties. */
    static int mostVariableChannel(PaddedSequences s) {
        int t = s.maxLength();
        int ch = s.channels();
        double[] sum = new double[ch];
        double[] sq = new double[ch];
        long count = 0;
        for (int i = 0; i < s.n(); i++) {
            for (int step = 0; step < s.lengths()[i]; step++) {
                for (int c = 0; c < ch; c++) {
                    double v = s.values()[(i * t + step) * ch + c];
                    sum[c] += v;
                    sq[c] += v * v;
                }
                count++;
            }
        }
        int best = 0;
        double bestVar = -1;
        for (int c = 0; c < ch && count > 0; c++) {
            double m = sum[c] / count;
            double var = sq[c] / count - m * m;
            if (var > bestVar) {
                bestVar = var;
                best = c;
            }
        }
        return best;
    }

    /** A cluster's mean over its members of every (step, channel): for images read row by row, the mean image. */
    private static HeatMapChart channelMeans(PaddedSequences s, int[] clusters, int cluster) {
        int t = s.maxLength();
        int ch = s.channels();
        double[] sum = new double[t * ch];
        int[] count = new int[t];
        for (int i = 0; i < s.n(); i++) {
            if (clusters[i] != cluster) continue;
            for (int step = 0; step < s.lengths()[i]; step++) {
                for (int c = 0; c < ch; c++) sum[step * ch + c] += s.values()[(i * t + step) * ch + c];
                count[step]++;
            }
        }
        List<Integer> steps = new ArrayList<>();
        for (int step = 0; step < t; step++) steps.add(step);
        List<Integer> channels = new ArrayList<>();
        for (int c = 0; c < ch; c++) channels.add(c);
        List<Number[]> cells = new ArrayList<>();
        for (int step = 0; step < t; step++) {
            for (int c = 0; c < ch; c++) {
                cells.add(new Number[] {step, c, count[step] == 0 ? 0.0 : sum[step * ch + c] / count[step]});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(560).height(420).title("cluster " + cluster + ": channel means")
                .xAxisTitle("step").yAxisTitle("channel").build();
        chart.getStyler().setShowValue(false);
        // Light to mid blue: the black counts stay readable on the fullest cells.
        chart.getStyler().setRangeColors(new Color[] {new Color(255, 255, 255), new Color(198, 219, 239),
                new Color(107, 174, 214)});
        chart.addSeries("mean", steps, channels, cells);
        return chart;
    }

    private static XYChart clusterMean(PaddedSequences s, int[] clusters, int cluster, int channel) {
        int t = s.maxLength();
        int ch = s.channels();
        double[] sum = new double[t];
        double[] sq = new double[t];
        int[] count = new int[t];
        for (int i = 0; i < s.n(); i++) {
            if (clusters[i] != cluster) continue;
            for (int step = 0; step < s.lengths()[i]; step++) {
                double v = s.values()[(i * t + step) * ch + channel];
                sum[step] += v;
                sq[step] += v * v;
                count[step]++;
            }
        }
        List<Double> x = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> lo = new ArrayList<>();
        List<Double> hi = new ArrayList<>();
        for (int step = 0; step < t; step++) {
            if (count[step] == 0) continue;
            double m = sum[step] / count[step];
            double sd = Math.sqrt(Math.max(0, sq[step] / count[step] - m * m));
            x.add((double) step);
            mean.add(m);
            lo.add(m - sd);
            hi.add(m + sd);
        }
        int members = 0;
        for (int c : clusters) if (c == cluster) members++;
        XYChart chart = new XYChartBuilder().width(560).height(300)
                .title("cluster " + cluster + " (" + members + " items)").xAxisTitle("step").yAxisTitle("value").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        if (x.isEmpty()) {
            x.add(0.0);
            mean.add(0.0);
            lo.add(0.0);
            hi.add(0.0);
        }
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f}, 0f);
        Color band = new Color(120, 150, 200);
        chart.addSeries("mean + std", x, hi).setMarker(SeriesMarkers.NONE).setLineColor(band).setLineStyle(dashed);
        chart.addSeries("mean", x, mean).setMarker(SeriesMarkers.NONE).setLineColor(new Color(20, 60, 140));
        chart.addSeries("mean - std", x, lo).setMarker(SeriesMarkers.NONE).setLineColor(band).setLineStyle(dashed);
        return chart;
    }

    /** Sequences drawn with their reconstructions per cluster. */
    static final int RECONSTRUCTED_ITEMS = 3;

    /** The first {@link #RECONSTRUCTED_ITEMS} sequences of a cluster on one channel, each beside its reconstruction. */
    private static XYChart reconstructionChart(PaddedSequences s, float[] rec, int[] clusters, int cluster, int channel) {
        XYChart chart = new XYChartBuilder().width(560).height(300).xAxisTitle("step").yAxisTitle("value").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        int t = s.maxLength();
        int ch = s.channels();
        BasicStroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);
        int drawn = 0;
        for (int i = 0; i < clusters.length && drawn < RECONSTRUCTED_ITEMS; i++) {
            if (clusters[i] != cluster) continue;
            int length = s.lengths()[i];
            double[] x = new double[length];
            double[] seq = new double[length];
            double[] back = new double[length];
            for (int step = 0; step < length; step++) {
                x[step] = step;
                seq[step] = s.values()[(i * t + step) * ch + channel];
                back[step] = rec[(i * t + step) * ch + channel];
            }
            Color colour = colour(drawn);
            chart.addSeries("sequence " + i, x, seq).setMarker(SeriesMarkers.NONE).setLineColor(colour);
            chart.addSeries("reconstruction " + i, x, back).setMarker(SeriesMarkers.NONE).setLineColor(colour)
                    .setLineStyle(dashed);
            drawn++;
        }
        return chart;
    }

    /** Datasets per NMI bar chart. */
    static final int NMI_DATASETS_PER_CHART = 12;

    private static CategoryChart nmiBars(EvaluationReport r, int from, int to) {
        int width = Math.max(800, 160 + (to - from) * (14 * r.methods().size() + 12));
        CategoryChart chart = new CategoryChartBuilder().width(width).height(520).title("NMI (mean over seeds, ± sample std)")
                .xAxisTitle("dataset").yAxisTitle("NMI").build();
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setOverlapped(false);
        for (int m = 0; m < r.methods().size(); m++) {
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (int d = from; d < to; d++) {
                ys.add(r.nmi()[d][m]);
                errors.add(r.nmiStd()[d][m]);
            }
            chart.addSeries(r.methods().get(m), r.datasets().subList(from, to), ys, errors);
        }
        return chart;
    }

    /** Each method's mean rank by NMI over the datasets, and its wins (a tie for best counts for each). */
    static List<List<String>> rankTable(EvaluationReport r) {
        int methods = r.methods().size();
        int sets = r.datasets().size();
        double[] rankSum = new double[methods];
        int[] wins = new int[methods];
        for (int d = 0; d < sets; d++) {
            double[] nmi = r.nmi()[d];
            double best = java.util.Arrays.stream(nmi).max().orElse(Double.NaN);
            for (int m = 0; m < methods; m++) {
                int above = 0;
                int tied = 0;
                for (int o = 0; o < methods; o++) {
                    if (nmi[o] > nmi[m]) above++;
                    else if (nmi[o] == nmi[m]) tied++;
                }
                rankSum[m] += above + (tied + 1) / 2.0;
                if (nmi[m] == best) wins[m]++;
            }
        }
        Integer[] order = new Integer[methods];
        for (int m = 0; m < methods; m++) order[m] = m;
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(m -> rankSum[m]));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("method", "mean rank", "best on", "mean NMI"));
        for (int m : order) {
            double mean = 0;
            for (int d = 0; d < sets; d++) mean += r.nmi()[d][m];
            rows.add(List.of(r.methods().get(m), String.format(Locale.ROOT, "%.2f", rankSum[m] / Math.max(1, sets)),
                    wins[m] + " of " + sets, String.format(Locale.ROOT, "%.3f", mean / Math.max(1, sets))));
        }
        return rows;
    }

    /** One row per dataset × method: the NMI spread, the agreement and the sensitivity. */
    private static List<List<String>> stabilityTable(EvaluationReport r) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("dataset", "method", "NMI", "agreement", "|ΔNMI|"));
        for (int d = 0; d < r.datasets().size(); d++) {
            for (int m = 0; m < r.methods().size(); m++) {
                // One seed (no agreement to measure) has no spread either: the mean alone, not "± 0.000".
                boolean oneSeed = Double.isNaN(r.agreement()[d][m]);
                rows.add(List.of(r.datasets().get(d), r.methods().get(m), oneSeed
                        ? String.format(Locale.ROOT, "%.3f", r.nmi()[d][m])
                        : String.format(Locale.ROOT, "%.3f ± %.3f [%.3f, %.3f]", r.nmi()[d][m], r.nmiStd()[d][m],
                                r.nmiMin()[d][m], r.nmiMax()[d][m]),
                        orDash(r.agreement()[d][m]), orDash(r.sensitivity()[d][m])));
            }
        }
        return rows;
    }

    private static String orDash(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    // ---- the page -----------------------------------------------------------------------------

    /** The HTML page and the PNGs it links, written together. */
    private static final class Page {
        private final StringBuilder html = new StringBuilder();
        private final Map<String, byte[]> images = new LinkedHashMap<>();

        Page(String title) {
            html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                    .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1500px}"
                            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                            + "img{max-width:100%;border:1px solid #eee}figure{display:inline-block;margin:0.5em}"
                            + "caption{text-align:left;font-weight:bold;padding:0.5em 0}table{margin:1em 0}"
                            + "</style></head><body>\n<h1>")
                    .append(esc(title)).append("</h1>\n");
        }

        void facts(Map<String, String> facts) {
            if (facts.isEmpty()) return;
            html.append("<table>\n");
            facts.forEach((k, v) -> html.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
                    .append("</td></tr>\n"));
            html.append("</table>\n");
        }

        void plot(String file, String caption, Chart<?, ?> chart) {
            try {
                images.put(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            } catch (IOException e) {
                throw new IllegalStateException("drawing " + file + ": " + e.getMessage(), e);
            }
            html.append("<figure><img src=\"").append(file).append("\" alt=\"").append(esc(caption))
                    .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
        }

        /** A table under a caption (none when empty); the first row is the header; cells may hold **bold**. */
        void table(String caption, List<List<String>> rows) {
            html.append("<table>");
            if (!caption.isEmpty()) html.append("<caption>").append(esc(caption)).append("</caption>");
            html.append('\n');
            for (int i = 0; i < rows.size(); i++) {
                String cell = i == 0 ? "th" : "td";
                html.append("<tr>");
                for (String v : rows.get(i)) {
                    html.append('<').append(cell).append('>').append(inline(v)).append("</").append(cell).append('>');
                }
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        }

        void note(String text) {
            html.append("<p>").append(esc(text)).append("</p>\n");
        }

        /**
         * The Markdown that results.md holds, as HTML: headings, tables (the |---| row dropped),
         * **bold** and *italic* cells, paragraphs.
         */
        void markdown(String text) {
            List<List<String>> rows = new ArrayList<>();
            for (String line : text.split("\n")) {
                String t = line.strip();
                if (t.startsWith("|")) {
                    if (!t.matches("\\|[-:| ]+\\|")) {
                        List<String> cells = new ArrayList<>();
                        for (String c : t.substring(1, t.endsWith("|") ? t.length() - 1 : t.length()).split("\\|")) {
                            cells.add(c.strip());
                        }
                        rows.add(cells);
                    }
                    continue;
                }
                if (!rows.isEmpty()) {
                    table("", rows);
                    rows = new ArrayList<>();
                }
                if (t.isEmpty()) continue;
                if (t.startsWith("#")) {
                    int level = Math.min(6, 1 + (int) t.chars().takeWhile(c -> c == '#').count());
                    html.append("<h").append(level).append('>').append(inline(t.replaceFirst("^#+\\s*", "")))
                            .append("</h").append(level).append(">\n");
                } else {
                    html.append("<p>").append(inline(t)).append("</p>\n");
                }
            }
            if (!rows.isEmpty()) table("", rows);
        }

        /** **bold** and *italic* of escaped text. */
        private static String inline(String s) {
            return esc(s).replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>").replaceAll("\\*(.+?)\\*", "<i>$1</i>");
        }

        Path write(Path dir) {
            html.append("</body></html>\n");
            try (OutputFolder out = OutputFolder.open(dir)) {
                for (Map.Entry<String, byte[]> e : images.entrySet()) Files.write(out.file(e.getKey()), e.getValue());
                Files.writeString(out.file(INDEX), html.toString(), StandardCharsets.UTF_8);
                out.commit();
            } catch (IOException e) {
                throw new InputException(OutputFolder.describe(dir, e));
            }
            return dir.resolve(INDEX);
        }

        private static String esc(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
