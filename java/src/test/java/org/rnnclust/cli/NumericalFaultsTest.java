package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.io.ModelFile;

/**
 * Numerical faults end to end, through the CLI: NaN and infinity in the data follow --missing with
 * one clear line; a diverging run stops naming the epoch and keeps the last good checkpoint.
 */
class NumericalFaultsTest {
    @TempDir Path tmp;

    /** CBF as UCR text, with {@code hole} (e.g. "NaN") as value 5 of series 3 when not null. */
    Path cbf(String hole) throws IOException {
        Dataset cbf = Cbf.generate(8, 24, 3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cbf.size(); i++) {
            sb.append(cbf.labelNames().get(cbf.labels()[i]));
            float[] s = cbf.series(i);
            for (int t = 0; t < s.length; t++) {
                sb.append('\t').append(hole != null && i == 2 && t == 4 ? hole : String.format(Locale.ROOT, "%.5f", s[t]));
            }
            sb.append('\n');
        }
        Path p = tmp.resolve("cbf-" + (hole == null ? "clean" : hole.toLowerCase(Locale.ROOT)) + ".tsv");
        Files.writeString(p, sb);
        return p;
    }

    static CliRun train(Path data, Path out, String... more) {
        String[] base = {"train", "--representation", "autoencoder", "--data", data.toString(), "--out", out.toString(), "--hidden", "6",
            "--latent", "3", "--batch", "6", "--device", "cpu"};
        if (!java.util.Arrays.asList(more).contains("--epochs")) more = concat(more, "--epochs", "2");
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static void assertOneLine(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        for (String f : fragments) assertTrue(run.err().contains(f), () -> "stderr lacks '" + f + "': " + run.err());
    }

    @Test
    void missingValueIsRefusedByDefaultNamingTheRecordAndTheWayOut() throws IOException {
        assertOneLine(train(cbf("NaN"), tmp.resolve("refused")), "record 3", "missing value (NaN) at step 5",
                "(interpolating missing values would fill it) (flag: --missing)");
        assertFalse(Files.exists(tmp.resolve("refused/model.rnnclust")));
    }

    @Test
    void missingValueIsInterpolatedWhenAskedFor() throws IOException {
        CliRun run = train(cbf("?"), tmp.resolve("filled"), "--missing", "interpolate");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.exists(tmp.resolve("filled/model.rnnclust")));
    }

    @Test
    void infinityInTextIsRefusedUnderEitherPolicy() throws IOException {
        Path data = cbf("1e39");
        for (String policy : new String[] {"refuse", "interpolate"}) {
            assertOneLine(train(data, tmp.resolve("inf-" + policy), "--missing", policy), "line 3", "field 6",
                    "out of float32 range");
        }
    }

    @Test
    void infinityInBinaryDataIsRefusedUnderEitherPolicy() throws IOException {
        // .npy float32 (6, 10) with +inf at series 2, step 7: binary formats can hold what text cannot
        ByteBuffer b = ByteBuffer.allocate(4 * 60).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 60; k++) b.putFloat(k == 16 ? Float.POSITIVE_INFINITY : (float) Math.sin(k * 0.7 + k / 10));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 10), }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) header.append(' ');
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer file = ByteBuffer.allocate(10 + h.length + 240).order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(b.array());
        Path npy = Files.write(tmp.resolve("inf.npy"), file.array());
        for (String policy : new String[] {"refuse", "interpolate"}) {
            assertOneLine(train(npy, tmp.resolve("npy-" + policy), "--missing", policy, "--k", "2"),
                    "record 2", "infinite value at step 7");
        }
    }

    @Test
    void divergingRunNamesTheEpochAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path out = tmp.resolve("diverged");
        CliRun run = train(cbf(null), out, "--lr", "1e6", "--epochs", "40", "--clip", "0", "--patience", "0");
        assertOneLine(run, "training diverged in epoch", "lower the learning rate or the clipping norm",
                "(flags: --lr, --clip)");
        Matcher m = Pattern.compile("diverged in epoch (\\d+)").matcher(run.err());
        assertTrue(m.find(), run.err());
        int epoch = Integer.parseInt(m.group(1));
        assertFalse(Files.exists(out.resolve("model.rnnclust")), "no model from a diverged run");
        Path ckpt = out.resolve("checkpoints/last.ckpt");
        if (epoch == 1) {
            assertTrue(run.err().contains("no epoch completed"), run.err());
            return;
        }
        assertTrue(run.err().contains("last good checkpoint (epoch " + (epoch - 1) + ")"), run.err());
        ModelFile.Loaded good = ModelFile.read(ckpt);
        assertEquals(epoch - 1, good.header().get("sections").get("pretraining").get("epochs").asInt());
        for (ModelFile.Tensor t : good.tensors().values()) {
            for (float v : t.data()) assertTrue(Float.isFinite(v), "non-finite value in the kept checkpoint's " + t.name());
        }
    }

    /**
     * A finite value too large for single-precision distances (1e20: its square overflows) is
     * refused in one line by every method, the same way, instead of an infinite inertia or a lost
     * cluster; so is 3.4e38, next to the largest float. Normalised, the same file clusters.
     */
    @Test
    void valuesTooLargeForFloatDistancesAreRefusedByEveryMethod() throws IOException {
        for (String huge : new String[] {"1e20", "-3.4e38"}) {
            Path data = cbf(huge);
            String[][] commands = {{"kmeans"}, {"pca-kmeans"}, {"forest"}, {"train", "--representation", "autoencoder", "--epochs", "1", "--hidden", "4"}};
            for (String[] command : commands) {
                Path out = tmp.resolve(command[0] + huge);
                String[] args = concat(command, "--data", data.toString(), "--out", out.toString(), "--normalize",
                        "none", "--device", "cpu");
                CliRun run = CliRun.of(args);
                assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), command[0] + ": " + run.err());
                assertEquals(1, run.errLines(), run.err());
                assertTrue(run.err().contains("record 3: the value " + Float.parseFloat(huge) + " at step 5"), run.err());
                assertTrue(run.err().contains("would overflow single-precision distances"), run.err());
                assertTrue(run.err().contains("(flag: --normalize)"), run.err());
                assertFalse(Files.exists(out.resolve("metrics.json")), "nothing written");
            }
            CliRun normalised = CliRun.of("kmeans", "--data", data.toString(), "--out", tmp.resolve("z" + huge).toString());
            assertEquals(0, normalised.exitCode(), normalised.err());
            String metrics = Files.readString(tmp.resolve("z" + huge).resolve("metrics.json"));
            assertFalse(metrics.contains("Infinity") || metrics.contains("NaN"), metrics);
        }
    }

    /** A model trained without normalisation refuses the same values when it is applied. */
    @Test
    void aModelRefusesValuesTooLargeForItsDistances() throws IOException {
        Path model = tmp.resolve("model");
        CliRun trained = train(cbf(null), model, "--normalize", "none");
        assertEquals(0, trained.exitCode(), trained.err());
        Path huge = cbf("1e20");
        for (String command : new String[] {"cluster", "embed"}) {
            Path out = tmp.resolve(command + (command.equals("embed") ? ".npy" : ""));
            CliRun run = CliRun.of(command, "--model", model.toString(), "--data", huge.toString(), "--out",
                    out.toString());
            assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
            assertEquals(1, run.errLines(), run.err());
            assertTrue(run.err().contains("would overflow single-precision distances"), run.err());
            assertFalse(Files.exists(out), "nothing written");
        }
    }
}
