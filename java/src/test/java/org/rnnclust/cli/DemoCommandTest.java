package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.FitReport;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.api.Refine;
import org.rnnclust.api.ReservoirClusterer;
import org.rnnclust.api.ReservoirClusteringModel;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.metrics.ClusteringScores;

/**
 * demo and info: the scores demo prints are the library's on the same generated data, and info
 * states what this machine has, whatever it is (a GPU or not, any OpenBLAS version).
 */
class DemoCommandTest {
    /** ACC, NMI and ARI of a table row, as printed (4 decimals). */
    static double[] row(String out, String method) {
        Matcher m = Pattern.compile(Pattern.quote(method) + "\\s+\\d+\\s+3\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)\\s+(-?[0-9.]+)")
                .matcher(out);
        assertTrue(m.find(), method + " missing in\n" + out);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
    }

    static void assertPrinted(ClusteringScores want, double[] printed, String what) {
        assertEquals(String.format(Locale.ROOT, "%.4f %.4f %.4f", want.acc(), want.nmi(), want.ari()),
                String.format(Locale.ROOT, "%.4f %.4f %.4f", printed[0], printed[1], printed[2]), what);
    }

    @Test
    void demoPrintsTheLibrarysRawKMeansScoresAndWritesItsReport(@TempDir Path tmp) throws IOException {
        Path report = tmp.resolve("report");
        CliRun run = CliRun.of("demo", "--per-class", "50", "--device", "cpu", "--no-train", "--report", report.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("report: " + report.resolve("index.html")), run.out());
        assertTrue(org.rnnclust.report.ReportWriterTest.checkLinkedPngs(report.resolve("index.html"))
                .contains("confusion.png"));
        Dataset cbf = Cbf.generate(50, 128, 0);
        var x = PreparedData.prepare(cbf, null, PreprocessOptions.defaults()).train();
        try (Device cpu = Device.open(new DeviceOptions("cpu", 0, false, 0, false));
             FittedClustering raw = Methods.rawKMeans(KMeansSettings.defaults()).fit(cpu, x, 3, 0)) {
            assertPrinted(ClusteringScores.of(cbf.labels(), raw.trainingLabels()), row(run.out(), "kmeans (raw)"),
                    "raw k-means");
        }
    }

    @Test
    void demoTrainsAndRefinesAsTheLibraryDoes() {
        CliRun run = CliRun.of("demo", "--per-class", "10", "--length", "24", "--epochs", "3", "--hidden", "6",
                "--latent", "3", "--refine-epochs", "2", "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        Dataset cbf = Cbf.generate(10, 24, 0);
        SequenceClusterer c = SequenceClusterer.builder().hidden(6).latent(3).epochs(3).refine(Refine.DEC)
                .refineEpochs(2).clusters(3).seed(0).build();
        try (Device cpu = Device.open(new DeviceOptions("cpu", 0, false, 0, true))) {
            FitReport fit = c.fit(cpu, cbf).fitReport();
            assertPrinted(ClusteringScores.of(cbf.labels(), fit.initial().labels()), row(run.out(), "rnn-lstm "),
                    "autoencoder + k-means");
            assertPrinted(ClusteringScores.of(cbf.labels(), fit.training().labels()), row(run.out(), "rnn-lstm-dec"),
                    "after DEC");
            try (ReservoirClusteringModel r = ReservoirClusterer.builder().clusters(3).seed(0).build().fit(cpu, cbf)) {
                assertPrinted(ClusteringScores.of(cbf.labels(), r.training().labels()), row(run.out(), "rnn-esn"),
                        "the reservoir representation, train's default");
            }
        }
    }

    @Test
    void infoStatesTheBundledOpenBlasAndWhatCudaOffers() {
        CliRun run = CliRun.of("info");
        assertEquals(0, run.exitCode(), run.err());
        // The version the presets' jar declares, whatever the pom names.
        String presets = org.bytedeco.openblas.global.openblas_nolapack.class.getPackage().getImplementationVersion();
        String version = presets.substring(0, presets.indexOf('-'));
        assertTrue(run.out().contains("OpenBLAS   " + version + " "), run.out());
        for (Map.Entry<String, String> line : Device.environment()) {
            assertTrue(run.out().contains(String.format("%-11s%s", line.getKey(), line.getValue())), line.toString());
        }
        assertTrue(run.out().matches("(?s).*CUDA +(available|unavailable: .+).*"), run.out());
    }
}
