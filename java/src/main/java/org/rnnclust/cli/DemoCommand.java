package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.metrics.ClusteringScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The main job on embedded data: generated Cylinder-Bell-Funnel series, clustered, scored. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate Cylinder-Bell-Funnel series (Saito 1994), cluster them, print ACC/NMI/ARI.")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "300",
            description = "Series per class. Default: ${DEFAULT-VALUE}.")
    int perClass;

    @Option(names = "--length", paramLabel = "T", defaultValue = "128",
            description = "Series length. Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        if (perClass < 1 || length < 8) {
            throw new org.rnnclust.InputException("--per-class must be >= 1 and --length >= 8");
        }
        PrintWriter w = spec.commandLine().getOut();
        Dataset cbf = Cbf.generate(perClass, length, seed);
        PreparedData data = PreparedData.prepare(cbf, null, PreprocessOptions.defaults());
        w.printf("CBF: %d generated series of length %d, 3 classes (seed %d), z-normalised%n",
                cbf.size(), length, seed);
        Table.header(w);
        try (Backend backend = device.open()) {
            long start = System.nanoTime();
            KMeansModel model = new KMeans(KMeansParams.of(3, seed))
                    .fit(backend, data.train().values(), data.train().n(), data.train().rowSize());
            double seconds = (System.nanoTime() - start) / 1e9;
            Table.row(w, "kmeans (raw)", cbf.size(), 3, model.inertia(),
                    ClusteringScores.of(cbf.labels(), model.labels()), seconds);
        }
        w.flush();
        return Main.EXIT_OK;
    }
}
