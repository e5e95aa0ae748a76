package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.RowSample;
import org.rnnclust.data.read.Readers;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.metrics.InternalScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Assigns new sequences to a trained model's clusters. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        header = "Assign sequences to the clusters of a trained model.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust cluster --model run1 --data CBF_TEST.tsv --out assigned"},
        description = {"Assign sequences to the clusters of a trained model.",
                "Writes DIR/assignments.csv and DIR/metrics.json like train and kmeans."})
final class ClusterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Mixin ModelInput input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        try (OutputClaim claim = Outputs.claimFolder(out, "--out")) {
            return cluster();
        }
    }

    private Integer cluster() {
        if (input.streamable()) return clusterInChunks();
        long start = System.nanoTime();
        ClusteringModel m = input.load();
        Dataset d = input.read();
        ClusteringModel.Embedded both;
        String deviceUsed;
        try (Device on = device.openForNetworks()) {
            both = m.on(on).embedAndAssign(d);
            deviceUsed = on.description();
        }
        Assignment a = both.assignment();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> metrics = metrics(m, d.name(), d.size(), a.inertia());
        InternalScores internal = ClusteringOutput.internal(both.embeddings(), d.size(), m.latent(), a.labels(), 0,
                metrics);
        ClusteringScores scores = ClusteringOutput.score(d, a.labels(), metrics);
        metrics.put("seconds", seconds);
        ClusteringOutput.write(out, d, a.labels(), metrics, Provenance.of(spec, deviceUsed), null);
        PrintWriter w = spec.commandLine().getOut();
        Table.print(w, m.method(), d, m.clusters(), a.inertia(), scores, seconds, internal, "the embeddings");
        w.flush();
        return Main.EXIT_OK;
    }

    /** metrics.json's first fields, whichever way the data were read: method, data, n, k, inertia. */
    private static Map<String, Object> metrics(ClusteringModel m, String data, int n, double inertia) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("method", m.method());
        metrics.put("data", data);
        metrics.put("n", n);
        metrics.put("k", m.clusters());
        metrics.put("inertia", inertia);
        return metrics;
    }

    /**
     * Data without a separate labels file, read, assigned and written {@code --chunk-rows} sequences
     * at a time (assignments.csv grows in the output's staging folder; the folder's files appear
     * together, as always, when the last chunk is done). Held besides a chunk: each sequence's
     * cluster and, in a labelled file, its label (two ints: the scores need them all), and a uniform
     * sample of at most {@value InternalScores#SILHOUETTE_SAMPLE} embeddings for the label-free
     * scores. A file of no more sequences keeps them all, in order, so that its scores are the
     * whole read's.
     */
    private Integer clusterInChunks() {
        long start = System.nanoTime();
        ClusteringModel m = input.load();
        double[] inertia = {0};
        int[] channels = {0};
        int[] lengths = {Integer.MAX_VALUE, 0};
        Dataset[] last = {null};
        IntSequence clusters = new IntSequence();
        IntSequence labels = new IntSequence();
        EmbeddingSample sample = new EmbeddingSample(InternalScores.SILHOUETTE_SAMPLE, m.latent(), 0);
        try (Device on = device.openForNetworks(); OutputFolder output = OutputFolder.open(out)) {
            ClusteringModel model = m.on(on);
            OutputFolder.AssignmentRows[] rows = {null};
            try {
                input.streamRows(new Readers.Rows() {
                    @Override
                    public void start(int sequences, int steps, int c) {
                        channels[0] = c;
                    }

                    @Override
                    public void rows(Dataset chunk) {
                        ClusteringModel.Embedded both = model.embedAndAssign(chunk);
                        int[] assigned = both.assignment().labels();
                        if (rows[0] == null) rows[0] = output.openAssignments(chunk.hasLabels());
                        rows[0].append(assigned, chunk);
                        clusters.add(assigned);
                        if (chunk.hasLabels()) labels.add(chunk.labels());
                        sample.offer(both.embeddings(), assigned);
                        inertia[0] += both.assignment().inertia();
                        lengths[0] = Math.min(lengths[0], chunk.minLength());
                        lengths[1] = Math.max(lengths[1], chunk.maxLength());
                        last[0] = chunk;
                    }
                });
                // An .npy of no rows hands over no chunk: its assignments.csv is the header alone.
                if (rows[0] == null) rows[0] = output.openAssignments(false);
            } finally {
                if (rows[0] != null) rows[0].close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int n = clusters.size();
            boolean labelled = last[0] != null && last[0].hasLabels();
            Map<String, Object> metrics = metrics(m, input.dataName(), n, inertia[0]);
            ClusteringScores scores = labelled ? ClusteringOutput.score(labels.toArray(), clusters.toArray(), metrics) : null;
            InternalScores internal = ClusteringOutput.internal(sample.points(), sample.size(), m.latent(),
                    sample.clusters(), 0, metrics);
            metrics.put("label_free_sample", sample.size());
            metrics.put("seconds", seconds);
            metrics.put("provenance", Provenance.of(spec, on.description()));
            output.writeJson(OutputFolder.METRICS, metrics);
            output.commit();
            PrintWriter w = spec.commandLine().getOut();
            w.println(Table.describe(input.dataName(), n, channels[0], lengths[0], lengths[1],
                    labelled ? last[0].numClasses() : 0) + " (read in chunks)");
            Table.header(w);
            Table.row(w, m.method(), n, m.clusters(), inertia[0], scores, seconds);
            Table.internal(w, internal, n, sample.size() < n ? "the embeddings of " + sample.size() + " sampled"
                    : "the embeddings");
            w.flush();
        }
        return Main.EXIT_OK;
    }

    /** A growing sequence of ints. */
    private static final class IntSequence {
        private int[] values = new int[1024];
        private int size;

        void add(int[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, Math.max(size + more.length, (int) Math.min(Integer.MAX_VALUE - 8, 2L * values.length)));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /**
     * A uniform sample of at most {@code capacity} of the embeddings offered, with their clusters, in
     * the order they were offered (reservoir sampling, Algorithm R, drawn from {@code seed}): all of
     * them while no more were offered.
     */
    private static final class EmbeddingSample {
        private final int capacity;
        private final int dim;
        private final SplittableRandom random;
        private final float[] points;
        private final int[] clusters;
        private final long[] arrival;
        private long seen;
        private int size;

        EmbeddingSample(int capacity, int dim, long seed) {
            this.capacity = capacity;
            this.dim = dim;
            this.random = new SplittableRandom(seed);
            this.points = new float[Math.multiplyExact(capacity, dim)];
            this.clusters = new int[capacity];
            this.arrival = new long[capacity];
        }

        /** The next rows: {@code z} [clusters.length, dim] and their clusters. */
        void offer(float[] z, int[] assigned) {
            for (int i = 0; i < assigned.length; i++) {
                long index = seen++;
                int s = RowSample.reservoirSlot(index, capacity, random);
                if (s < 0) continue;
                System.arraycopy(z, i * dim, points, s * dim, dim);
                clusters[s] = assigned[i];
                arrival[s] = index;
                size = Math.max(size, s + 1);
            }
        }

        int size() {
            return size;
        }

        /** The kept rows' positions, by arrival. */
        private Integer[] order() {
            Integer[] o = new Integer[size];
            for (int i = 0; i < size; i++) o[i] = i;
            Arrays.sort(o, Comparator.comparingLong(i -> arrival[i]));
            return o;
        }

        float[] points() {
            float[] out = new float[size * dim];
            Integer[] o = order();
            for (int i = 0; i < size; i++) System.arraycopy(points, o[i] * dim, out, i * dim, dim);
            return out;
        }

        int[] clusters() {
            int[] out = new int[size];
            Integer[] o = order();
            for (int i = 0; i < size; i++) out[i] = clusters[o[i]];
            return out;
        }
    }
}
