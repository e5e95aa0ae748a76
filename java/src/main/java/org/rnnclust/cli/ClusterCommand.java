package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.data.Dataset;
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
        if (input.streamableWithLabels()) return clusterInChunks();
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
     * An .npy or IDX data without labels: read, assigned and written {@code --chunk-rows} sequences at a time
     * (assignments.csv grows in the output's staging folder); the folder's files appear together,
     * as always, when the last chunk is done.
     */
    private Integer clusterInChunks() {
        long start = System.nanoTime();
        ClusteringModel m = input.load();
        double[] inertia = {0};
        int[] shape = new int[3];
        try (Device on = device.openForNetworks(); OutputFolder output = OutputFolder.open(out)) {
            ClusteringModel model = m.on(on);
            try (OutputFolder.AssignmentRows rows = output.openAssignments()) {
                input.streamRows(new Readers.Rows() {
                    @Override
                    public void start(int sequences, int steps, int channels) {
                        shape[0] = sequences;
                        shape[1] = steps;
                        shape[2] = channels;
                    }

                    @Override
                    public void rows(Dataset chunk) {
                        Assignment a = model.assign(chunk);
                        rows.append(a.labels());
                        inertia[0] += a.inertia();
                    }
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> metrics = metrics(m, input.dataName(), shape[0], inertia[0]);
            metrics.put("seconds", seconds);
            metrics.put("provenance", Provenance.of(spec, on.description()));
            output.writeJson(OutputFolder.METRICS, metrics);
            output.commit();
            PrintWriter w = spec.commandLine().getOut();
            w.println(input.dataName() + ": " + shape[0] + " sequences, " + shape[2] + " channel(s), length " + shape[1]
                    + ", no labels (read in chunks)");
            Table.header(w);
            Table.row(w, m.method(), shape[0], m.clusters(), inertia[0], null, seconds);
            w.flush();
        }
        return Main.EXIT_OK;
    }
}
