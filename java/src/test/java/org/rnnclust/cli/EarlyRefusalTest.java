package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;

/**
 * Settings and inputs that cannot work are refused before any work: one line naming the flag, exit
 * 2, and no output folder (training creates its checkpoint folder before the first epoch, so its
 * absence shows that no training ran). Labels that would be ignored or dropped are refused too.
 */
class EarlyRefusalTest {
    @TempDir Path tmp;

    private Path cbf(int perClass) throws IOException {
        return TrainCommandTest.writeUcr(Cbf.generate(perClass, 24, 5), tmp.resolve("cbf" + perClass + ".tsv"));
    }

    private static List<String> train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "2", "--hidden", "4", "--latent", "2", "--device", "cpu"));
        args.addAll(List.of(extra));
        return args;
    }

    private static void refusedBeforeWork(CliRun run, Path out, String flag) {
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(flag), "names " + flag + ": " + run.err());
        assertFalse(Files.exists(out), "nothing written, no training started: " + out);
    }

    @Test
    void kmeansSettingsThatCannotWorkAreRefusedBeforeTrainingNamingTheFlag() throws IOException {
        Path data = cbf(4);
        String[][] cases = {{"--n-init", "0"}, {"--max-iter", "0"}, {"--tol", "NaN"}, {"--tol", "-1"},
                {"--batch-size", "-3"}};
        for (String[] c : cases) {
            Path out = tmp.resolve("t" + c[0] + c[1]);
            refusedBeforeWork(CliRun.of(train(data, out, c).toArray(String[]::new)), out, "(flag: " + c[0] + ")");
            Path kmeansOut = tmp.resolve("k" + c[0] + c[1]);
            refusedBeforeWork(CliRun.of("kmeans", "--data", data.toString(), "--out", kmeansOut.toString(), c[0], c[1]),
                    kmeansOut, "(flag: " + c[0] + ")");
        }
    }

    @Test
    void spectralStartWithOneSequenceIsRefusedBeforePretraining() throws IOException {
        Path one = tmp.resolve("one.tsv");
        Files.writeString(one, Files.readAllLines(cbf(1)).get(0) + "\n");
        Path out = tmp.resolve("spectral");
        CliRun run = CliRun.of(train(one, out, "--cluster-init", "spectral").toArray(String[]::new));
        refusedBeforeWork(run, out, "--cluster-init");
        assertTrue(run.err().contains("spectral clustering needs at least 2 points"), run.err());
        // More clusters than sequences: the same refusal, whatever starts the clustering.
        Path three = cbf(1);
        Path out2 = tmp.resolve("spectral-k");
        refusedBeforeWork(CliRun.of(train(three, out2, "--cluster-init", "spectral", "--k", "4").toArray(String[]::new)),
                out2, "--k");
    }

    @Test
    void testLabelsWithoutATestFileAreRefused() throws IOException {
        Path data = cbf(2);
        Path labels = tmp.resolve("labels.npy");
        Npy.write(labels, NpyArray.of(0, 1, 2, 0, 1, 2));
        Path out = tmp.resolve("k");
        CliRun run = CliRun.of("kmeans", "--data", data.toString(), "--test-labels", labels.toString(),
                "--out", out.toString());
        refusedBeforeWork(run, out, "--test-labels");
        assertTrue(run.err().contains("there is none"), run.err());
    }

    @Test
    void mergingLabelledWithUnlabelledDataIsRefusedInsteadOfDroppingTheLabels() throws IOException {
        Dataset cbf = Cbf.generate(3, 20, 7);
        Path train = tmp.resolve("train.npy");
        Path test = tmp.resolve("test.npy");
        Path trainLabels = tmp.resolve("train-labels.npy");
        float[] values = new float[cbf.size() * 20];
        float[] labels = new float[cbf.size()];
        for (int i = 0; i < cbf.size(); i++) {
            System.arraycopy(cbf.series(i), 0, values, i * 20, 20);
            labels[i] = cbf.labels()[i];
        }
        Npy.write(train, new NpyArray(new int[] {cbf.size(), 20}, values));
        Npy.write(test, new NpyArray(new int[] {cbf.size(), 20}, values));
        Npy.write(trainLabels, new NpyArray(new int[] {cbf.size()}, labels));
        Path out = tmp.resolve("merged");
        CliRun run = CliRun.of("kmeans", "--data", train.toString(), "--test", test.toString(), "--merge",
                "--labels", trainLabels.toString(), "--out", out.toString());
        refusedBeforeWork(run, out, "--test-labels");
        // With both labels files the merged data are labelled throughout and scored.
        CliRun both = CliRun.of("kmeans", "--data", train.toString(), "--test", test.toString(), "--merge",
                "--labels", trainLabels.toString(), "--test-labels", trainLabels.toString(), "--out", out.toString());
        assertEquals(0, both.exitCode(), both.err());
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"nmi\""), "scored against the labels");
    }

    @Test
    void applyingAModelToMissingValuesDoesNotAdviseAFlagTheCommandLacks() throws IOException {
        Path data = cbf(3);
        Path run = tmp.resolve("run");
        assertEquals(0, CliRun.of(train(data, run).toArray(String[]::new)).exitCode());
        List<String> lines = Files.readAllLines(data);
        String[] first = lines.get(0).split("\t");
        first[3] = "NaN";
        lines.set(0, String.join("\t", first));
        Path withGap = tmp.resolve("gap.tsv");
        Files.write(withGap, lines);
        for (String command : new String[] {"cluster", "embed"}) {
            Path out = tmp.resolve(command + (command.equals("embed") ? ".npy" : ""));
            CliRun r = CliRun.of(command, "--model", run.toString(), "--data", withGap.toString(), "--out",
                    out.toString());
            assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.err());
            assertEquals(1, r.errLines(), r.err());
            assertTrue(r.err().contains("record 1: missing value (NaN) at step 3"), r.err());
            assertTrue(r.err().contains("the model refuses missing values"), r.err());
            assertFalse(r.err().contains("interpolat") && r.err().contains("would fill it"), r.err());
            assertFalse(r.err().contains("--missing"), r.err());
            assertFalse(Files.exists(out), "nothing written");
        }
    }
}
