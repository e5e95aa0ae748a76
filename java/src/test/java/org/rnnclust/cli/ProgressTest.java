package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.FitListener.Epoch;
import org.rnnclust.api.FitListener.Phase;

/**
 * Progress output: a bar per phase that is always closed (the results then start on a line of their
 * own, and nothing is drawn after them), and timestamped lines without carriage returns when stderr
 * is not a terminal.
 */
class ProgressTest {
    /** Longer than a bar's refresh interval (250 ms): a bar left open would draw again meanwhile. */
    private static final long QUIET_MS = 700;

    @Test
    void aBarPerPhaseClosedByItsEndEvenMidEpoch() throws InterruptedException {
        StringWriter text = new StringWriter();
        Progress p = new Progress(Progress.Mode.BAR, new PrintWriter(text), "dec");
        p.phaseStarted(Phase.PRETRAINING, 3);
        for (int epoch = 1; epoch <= 2; epoch++) {
            p.epochStarted(Phase.PRETRAINING, epoch, 4);
            for (int b = 1; b <= 4; b++) p.batchFinished(Phase.PRETRAINING, epoch, b, 0.5 / epoch);
            p.epochFinished(new Epoch(Phase.PRETRAINING, epoch, 3, 0.5 / epoch, 1, 0.1, true, Double.NaN));
        }
        p.phaseEnded(Phase.PRETRAINING);  // early stop: 2 of 3 epochs
        p.phaseStarted(Phase.KMEANS, 10);
        for (int r = 1; r <= 10; r++) p.stepFinished(Phase.KMEANS, r);
        p.phaseEnded(Phase.KMEANS);
        p.phaseStarted(Phase.REFINEMENT, 50);
        p.epochStarted(Phase.REFINEMENT, 1, 4);
        p.batchFinished(Phase.REFINEMENT, 1, 1, 0.02);
        p.epochFinished(new Epoch(Phase.REFINEMENT, 1, 50, 0.02, 1, 0.1, false, 0.25));
        p.epochStarted(Phase.REFINEMENT, 2, 4);  // converged at the epoch's first target update: no batch, no end
        p.phaseEnded(Phase.REFINEMENT);
        p.close();
        String out = settled(text);
        List<String> lines = List.of(out.split("\n"));  // not lines(): it splits at the bars' \r too
        assertEquals(3, lines.size(), out);
        assertTrue(out.endsWith("\n"), "the last bar's line is not ended");
        assertTrue(last(lines.get(0)).startsWith("pretrain 2/3 ["), lines.get(0));
        assertTrue(last(lines.get(0)).contains("loss 0.2500"), lines.get(0));
        assertTrue(last(lines.get(1)).startsWith("kmeans restarts 10/10 ["), lines.get(1));
        assertTrue(last(lines.get(2)).startsWith("dec 1/50 ["), lines.get(2));
        assertTrue(last(lines.get(2)).contains("kl 0.0200 changed 25.0%"), lines.get(2));
    }

    @Test
    void closeEndsAnOpenBarAndNothingIsDrawnAfterIt() throws InterruptedException {
        StringWriter text = new StringWriter();
        try (Progress p = new Progress(Progress.Mode.BAR, new PrintWriter(text), "idec")) {
            p.phaseStarted(Phase.REFINEMENT, 5);
            p.epochStarted(Phase.REFINEMENT, 1, 10);
            p.batchFinished(Phase.REFINEMENT, 1, 3, 1.5);
            // a failure here: try-with-resources closes the bar before the error line is printed
        }
        String out = settled(text);
        assertTrue(out.endsWith("\n"), out);
        assertTrue(last(out.strip()).startsWith("idec 0/5 ["), out);
        assertTrue(last(out.strip()).contains("loss 1.5000"), out);
    }

    @Test
    void theEtaExtrapolatesTheTicksSinceTheBarOpened() {
        String drawn = render("pretrain", 0, 30, 10, 20_000, 3);
        // 10 ticks (of 30) took 20 s: 20 more ticks, 40 s.
        assertTrue(drawn.startsWith("pretrain 3/10 ["), drawn);
        assertTrue(drawn.endsWith(" ETA 0:00:40"), drawn);
        assertFalse(render("pretrain", 0, 30, 0, 5_000, 3).contains("ETA"), "no ETA before the first tick");
        assertFalse(render("pretrain", 0, 30, 10, -1, 3).contains("ETA"), "no ETA on a bar closed early");
    }

    @Test
    void linesModeLogsTimestampedLinesNamedByThePhaseAndDrawsNoBar() {
        StringWriter text = new StringWriter();
        String logged = capturingStderr(() -> {
            try (Progress p = new Progress(Progress.Mode.LINES, new PrintWriter(text), "dec")) {
                p.phaseStarted(Phase.RESERVOIRS, 5);
                for (int r = 1; r <= 5; r++) p.stepFinished(Phase.RESERVOIRS, r);  // the last only: quick steps
                p.phaseEnded(Phase.RESERVOIRS);
                p.phaseStarted(Phase.PRETRAINING, 150);
                p.epochStarted(Phase.PRETRAINING, 7, 4);
                p.batchFinished(Phase.PRETRAINING, 7, 1, 0.1);
                p.epochFinished(new Epoch(Phase.PRETRAINING, 7, 150, 0.125, 2, 1.5, true, Double.NaN));
                p.phaseEnded(Phase.PRETRAINING);
                p.phaseStarted(Phase.REFINEMENT, 50);
                p.epochFinished(new Epoch(Phase.REFINEMENT, 5, 50, 0.003, 2, 1.5, false, 0.003));
            }
        });
        assertEquals("", text.toString(), "lines mode drew on the bar's stream");
        assertFalse(logged.contains("\r"), logged);
        List<String> lines = logged.lines().toList();
        assertEquals(3, lines.size(), logged);
        Pattern stamped = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO .*");
        for (String line : lines) assertTrue(stamped.matcher(line).matches(), line);
        assertTrue(lines.get(0).matches(".* INFO reservoirs 5/5  \\d+\\.\\d s"), lines.get(0));
        assertTrue(lines.get(1).contains("INFO pretrain epoch 7/150  loss 0.12500  grad-norm 2.000  1.5 s"), lines.get(1));
        assertTrue(lines.get(2).contains("INFO dec epoch 5/50  kl 0.00300 changed 0.3%"), lines.get(2));
    }

    @Test
    void demoWithBarsEndsWithItsTableLegendAndReport(@TempDir Path tmp) throws InterruptedException {
        // DEC with --refine-tol 0.99 converges at its second target update, the first batch of epoch 2:
        // the path that once left a bar redrawing over the results.
        StringWriter both = new StringWriter();
        int code = CliRun.merged(both, "demo", "--per-class", "10", "--length", "24", "--epochs", "3", "--hidden", "6",
                "--latent", "3", "--refine-epochs", "5", "--refine-tol", "0.99", "--device", "cpu", "--progress", "bar",
                "--report", tmp.resolve("report").toString());
        String out = settled(both);
        assertEquals(0, code, out);
        assertTrue(out.contains("\rreservoirs 5/5 ["), out);
        assertTrue(out.contains("\rpretrain 3/3 ["), out);
        assertTrue(out.contains("\rdec 1/5 ["), out);
        int lastBar = out.lastIndexOf('\r');
        String after = out.substring(out.indexOf('\n', lastBar) + 1);
        List<String> lines = after.lines().toList();
        assertTrue(lines.get(0).startsWith("rnn-lstm autoencoder: hidden 6"), after);
        assertTrue(lines.get(lines.size() - 1).startsWith("report: "), after);
        assertTrue(after.contains("rnn-lstm-dec  the same after DEC refinement"), after);
        assertFalse(after.contains("["), "a bar after the results:\n" + after);
    }

    @Test
    void kmeansShowsItsRestartsThenItsResults(@TempDir Path tmp) throws Exception {
        Path data = ThreeShapes.write(tmp.resolve("shapes.tsv"), 10);
        StringWriter both = new StringWriter();
        int code = CliRun.merged(both, "kmeans", "--data", data.toString(), "--n-init", "4", "--device", "cpu",
                "--progress", "bar", "--out", tmp.resolve("km").toString());
        String out = settled(both);
        assertEquals(0, code, out);
        assertTrue(out.contains("\rkmeans restarts 4/4 ["), out);
        String after = out.substring(out.indexOf('\n', out.lastIndexOf('\r')) + 1);
        assertTrue(after.strip().endsWith("metrics.json"), after);
        assertFalse(after.contains("["), "a bar after the results:\n" + after);
    }

    /** The text once no bar draws any more (fails when one still does). */
    private static String settled(StringWriter text) throws InterruptedException {
        String before = text.toString();
        Thread.sleep(QUIET_MS);
        assertEquals(before, text.toString(), "a bar is still drawing");
        return before;
    }

    /** The last drawing on a bar's line. */
    private static String last(String line) {
        return line.substring(line.lastIndexOf('\r') + 1).stripTrailing();
    }

    private static String render(String task, long start, long max, long current, long elapsedMs, int unit) {
        return Progress.render(task, start, current, max, elapsedMs, unit, "", 100);
    }

    private static String capturingStderr(Runnable r) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
