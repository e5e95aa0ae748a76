package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.Device;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.metrics.ClusteringScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Assigns new sequences to a trained model's clusters. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
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
        long start = System.nanoTime();
        ClusteringModel m = input.load();
        Dataset d = input.read();
        Assignment a;
        try (Device on = device.openForNetworks()) {
            a = m.on(on).assign(d);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("method", m.method());
        metrics.put("data", d.name());
        metrics.put("n", d.size());
        metrics.put("k", m.clusters());
        metrics.put("inertia", a.inertia());
        ClusteringScores scores = ClusteringOutput.score(d, a.labels(), metrics);
        metrics.put("seconds", seconds);
        ClusteringOutput.write(out, d, a.labels(), metrics, null);
        PrintWriter w = spec.commandLine().getOut();
        Table.print(w, m.method(), d, m.clusters(), a.inertia(), scores, seconds);
        w.flush();
        return Main.EXIT_OK;
    }
}
