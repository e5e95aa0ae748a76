package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on embedded data: generated Cylinder-Bell-Funnel series, clustered by k-means on the
 * raw series and by a recurrent autoencoder (train's defaults) + k-means, scored side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generate Cylinder-Bell-Funnel series (Saito 1994), cluster them with raw k-means and with",
                "a recurrent autoencoder + k-means, print ACC/NMI/ARI side by side."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;
    @Mixin ModelMixin model;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "300",
            description = "Series per class. Default: ${DEFAULT-VALUE}.")
    int perClass;

    @Option(names = "--length", paramLabel = "T", defaultValue = "128",
            description = "Series length. Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--no-train", description = "Only the raw k-means baseline (seconds instead of a minute).")
    boolean noTrain;

    @Override
    public Integer call() {
        if (perClass < 2 || length < 8) throw new InputException("--per-class must be >= 2 and --length >= 8");
        PrintWriter w = spec.commandLine().getOut();
        try (Backend backend = device.openForNetworks()) {  // first: a device error must come before any output
            Dataset cbf = Cbf.generate(perClass, length, seed);
            PreparedData data = PreparedData.prepare(cbf, null, PreprocessOptions.defaults());
            PaddedSequences x = data.train();
            w.printf("CBF: %d generated series of length %d, 3 classes (seed %d), z-normalised%n", cbf.size(), length,
                    seed);
            w.flush();
            long start = System.nanoTime();
            KMeansModel raw = new KMeans(KMeansParams.of(3, seed)).fit(backend, x.values(), x.n(), x.rowSize());
            double rawSeconds = (System.nanoTime() - start) / 1e9;
            ClusteringScores rawScores = ClusteringScores.of(cbf.labels(), raw.labels());
            if (noTrain) {
                Table.header(w);
                Table.row(w, "kmeans (raw)", cbf.size(), 3, raw.inertia(), rawScores, rawSeconds);
                w.flush();
                return Main.EXIT_OK;
            }
            start = System.nanoTime();
            AutoencoderSpec arch = model.spec(1);
            TrainConfig config = model.config(seed);
            TensorOps ops = backend.tensorOps();
            try (SequenceAutoencoder net = new SequenceAutoencoder(ops, arch, seed)) {
                TrainingResult result = new Trainer(ops, config, new ProgressListener())
                        .train(net, x, null, null, null, null);
                float[] emb = Trainer.embed(ops, net, x, config.batchSize());
                KMeansModel km = new KMeans(KMeansParams.of(3, seed)).fit(backend, emb, x.n(), arch.latent());
                double seconds = (System.nanoTime() - start) / 1e9;
                String method = "rnn-" + arch.cell().name().toLowerCase(java.util.Locale.ROOT);
                w.printf(java.util.Locale.ROOT, "%s autoencoder: hidden %d, latent %d, %d epochs, final loss %.4f%n",
                        method, arch.hidden(), arch.latent(), result.epochs(), result.finalLoss());
                Table.header(w);
                Table.row(w, "kmeans (raw)", cbf.size(), 3, raw.inertia(), rawScores, rawSeconds);
                Table.row(w, method, cbf.size(), 3, km.inertia(), ClusteringScores.of(cbf.labels(), km.labels()), seconds);
            }
        }
        w.flush();
        return Main.EXIT_OK;
    }
}
