package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void demoPrintsScoresInRangeAndWritesItsReport(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path report = tmp.resolve("report");
        CliRun run = CliRun.of("demo", "--per-class", "50", "--device", "cpu", "--no-train", "--report", report.toString());
        assertTrue(run.out().contains("report: " + report.resolve("index.html")), run.out());
        assertTrue(org.rnnclust.report.ReportWriterTest.checkLinkedPngs(report.resolve("index.html"))
                .contains("confusion.png"));
        assertEquals(0, run.exitCode(), run.err());
        Matcher m = Pattern.compile("kmeans \\(raw\\)\\s+150\\s+3\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)\\s+(-?[0-9.]+)")
                .matcher(run.out());
        assertTrue(m.find(), run.out());
        double acc = Double.parseDouble(m.group(1));
        // Raw k-means on CBF is well above chance (1/3) and well below perfect.
        assertTrue(acc > 0.4 && acc < 0.95, "ACC " + acc);
    }

    @Test
    void infoNamesWhyCudaIsUnavailable() {
        CliRun run = CliRun.of("info");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("OpenBLAS   0.3.31"), run.out());
        assertTrue(run.out().matches("(?s).*CUDA +unavailable: .+"), run.out());
    }

    @Test
    void demoTrainsAndRefines() {
        CliRun run = CliRun.of("demo", "--per-class", "10", "--length", "24", "--epochs", "3", "--hidden", "6",
                "--latent", "3", "--refine-epochs", "2", "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        for (String row : new String[] {"kmeans (raw)", "rnn-lstm ", "rnn-lstm-dec"}) {
            assertTrue(run.out().contains(row), row + " missing in\n" + run.out());
        }
    }
}
