package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnnclust.api.Device;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.bench.Benchmarks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The benchmarks of org.rnnclust.bench, from flags. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Time k-means, recurrent layers and training epochs.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust bench --kmeans 100000,64,256 --device cuda --json kmeans.json",
                "  rnnclust bench --rnn lstm:64,100,32,128 --repeat 20"},
        description = {"Time k-means iterations and assignment steps (--kmeans N,D,K), recurrent layers'",
                "forward and training step (--rnn CELL:B,T,I,H) and whole training epochs (--train-epoch),",
                "with the device's measured GEMM rate and bandwidth and each operation's floor.",
                "Without any of them: the default k-means and recurrent sets and an epoch on generated CBF.",
                "Prints median, min and max of --repeat runs after --warmup runs; --json writes every figure."})
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Option(names = "--kmeans", paramLabel = "N,D,K", arity = "1..*",
            description = "k-means shapes. Default: 100000,64,100 1000000,32,100 200000,128,256.")
    List<String> kmeans;

    @Option(names = "--rnn", paramLabel = "CELL:B,T,I,H", arity = "1..*",
            description = "Recurrent layers to time (forward, and forward + backward = one training step), "
                    + "e.g. lstm:256,28,28,128. Default: none unless --kmeans is also absent, then "
                    + "lstm:256,28,28,128 lstm:256,28,28,512 lstm:64,256,1,256 lstm:1024,100,64,512 "
                    + "lstm:64,140,1,64 gru:256,28,28,128.")
    List<String> rnn;

    @Option(names = "--train-epoch", paramLabel = "DATA",
            description = "Time whole training epochs of the default autoencoder (train's flags) on DATA: a data "
                    + "file, or 'cbf' for 900 generated CBF series of length 128.")
    String trainEpoch;

    @Mixin ModelMixin model;

    @Option(names = "--kmeans-data", paramLabel = "X.npy",
            description = "Points to use instead of generated Gaussian ones (shape [N,D], one --kmeans shape "
                    + "whose N and D match); the centroids start as its first K rows.")
    Path kmeansData;

    @Option(names = "--repeat", defaultValue = "10", description = "Timed runs. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--seed", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the machine and every figure as JSON.")
    Path json;

    @Override
    public Integer call() {
        SequenceClusterer epochModel = Flags.build(() -> model.applyTo(SequenceClusterer.builder()).build());
        Benchmarks.Plan plan = new Benchmarks.Plan(kmeans, rnn, trainEpoch, epochModel, kmeansData, warmup, repeat,
                seed, json);
        PrintWriter w = spec.commandLine().getOut();
        try (OutputClaim claim = Outputs.claimFile(json, "--json"); Device on = device.open(plan.runsNetworks())) {
            Benchmarks.run(on, plan, w, () -> Provenance.of(spec, on.description()));
        }
        return Main.EXIT_OK;
    }
}
