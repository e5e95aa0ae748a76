package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.gen.SyntheticControl;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;

/**
 * {@code generate} writes the generators' series in files the readers take back unchanged: the
 * oracle is the generator called directly with the same size, length and seed.
 */
class GenerateCommandTest {
    @TempDir Path tmp;

    @Test
    void aUcrFileReadsBackAsTheGeneratedSeriesAndClasses() {
        for (String file : new String[] {"cbf_TRAIN.tsv", "cbf_TRAIN.tsv.gz"}) {
            Path out = tmp.resolve(file);
            CliRun run = CliRun.of("generate", "cbf", "--n", "30", "--length", "40", "--seed", "7", "--out", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("30 series of 40 steps, 3 classes (1 cylinder, 2 bell, 3 funnel)"), run.out());
            Dataset expected = Cbf.generate(10, 40, 7);
            Dataset read = Readers.read(out, ReadOptions.defaults());
            assertSameSeries(expected, read);
            // The UCR file numbers the classes 1..k in the generator's order.
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(String.valueOf(expected.labels()[i] + 1), read.labelNames().get(read.labels()[i]));
            }
        }
    }

    @Test
    void anNpyFileAndItsLabelsReadBackAsTheGeneratedSeries() throws Exception {
        Path out = tmp.resolve("sc.npy");
        Path labels = tmp.resolve("sc-labels.npy");
        CliRun run = CliRun.of("generate", "synthetic-control", "--n", "12", "--seed", "3", "--out", out.toString(),
                "--labels-out", labels.toString());
        assertEquals(0, run.exitCode(), run.err());
        Dataset expected = SyntheticControl.generate(2, SyntheticControl.DEFAULT_LENGTH, 3);
        Dataset read = Readers.read(out, new ReadOptions(null, labels, null, null));
        assertSameSeries(expected, read);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.labels()[i] + 1, Double.parseDouble(read.labelNames().get(read.labels()[i])), 0);
        }
    }

    @Test
    void badRequestsGetOneLineAndNoFile() throws Exception {
        Path out = tmp.resolve("x.tsv");
        String[][] cases = {
                {"generate", "sine", "--out", out.toString()},
                {"generate", "cbf", "--n", "31", "--out", out.toString()},
                {"generate", "cbf", "--out", tmp.resolve("x.csv").toString()},
                {"generate", "cbf", "--out", out.toString(), "--labels-out", tmp.resolve("l.npy").toString()},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertEquals(1, run.errLines(), run.err());
        }
        try (var files = Files.list(tmp)) {
            assertFalse(files.findAny().isPresent(), "a refused generate left a file");
        }
    }

    private static void assertSameSeries(Dataset expected, Dataset read) {
        assertEquals(expected.size(), read.size());
        assertEquals(1, read.channels());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.series(i), read.series(i), 0f, "series " + i);
        }
    }
}
