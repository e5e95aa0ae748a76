package org.rnnclust.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.rnnclust.api.FitListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fit's progress on stderr: one bar per phase ({@code pretrain 37/150 [====>   ] loss 0.0412 ETA
 * 0:01:10}, {@code dec 5/50 ... kl 0.0031 changed 0.4%}, {@code reservoirs 3/5}, {@code kmeans
 * restarts 4/10}) when stderr is a terminal, else one log line (timestamped, named by the phase)
 * per epoch or step, which a batch job's log keeps readable: no carriage returns.
 *
 * <p>A bar is closed when its phase ends, however it ends, and by {@link #close()}: commands hold
 * their Progress in try-with-resources around the fit, so that what they print next (the results,
 * an error line) starts on a line of its own and no bar is redrawn after it.
 */
final class Progress implements FitListener, AutoCloseable {
    /** {@code --progress}: auto picks bar when stderr is a terminal, lines otherwise. */
    enum Mode { AUTO, BAR, LINES, NONE }

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final int WIDTH = 100;
    private static final long STEP_LINE_NANOS = 5_000_000_000L;

    private final Mode mode;
    private final PrintWriter err;
    private final String refineLabel;
    private ProgressBar bar;
    private LineConsumer line;
    private int phaseSteps;
    private int batches;
    private long phaseStart;
    private long lastLine;

    /**
     * @param err         where bars are drawn (the command's stderr)
     * @param refineLabel the refinement's name in the output (dec, idec)
     */
    Progress(Mode mode, PrintWriter err, String refineLabel) {
        this.mode = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : mode;
        this.err = err;
        this.refineLabel = refineLabel;
    }

    @Override
    public void phaseStarted(Phase phase, int steps) {
        closeBar();
        phaseStart = lastLine = System.nanoTime();
        phaseSteps = steps;
        batches = 0;
        if (mode == Mode.BAR && !hasEpochs(phase)) openBar(phase, steps, 1, 0);
    }

    @Override
    public void epochStarted(Phase phase, int epoch, int batchesPerEpoch) {
        if (mode != Mode.BAR) return;
        if (bar == null || batches != batchesPerEpoch) {
            closeBar();
            openBar(phase, Math.max(phaseSteps, epoch), batchesPerEpoch, (long) (epoch - 1) * batchesPerEpoch);
        }
        batches = batchesPerEpoch;
    }

    @Override
    public void batchFinished(Phase phase, int epoch, int batch, double loss) {
        if (bar == null) return;
        bar.stepTo((long) (epoch - 1) * batches + batch);
        // NaN: the loss stayed on the device; the bar keeps the last one it was told.
        if (!Double.isNaN(loss)) bar.setExtraMessage(String.format(Locale.ROOT, "%s %.4f", lossName(phase), loss));
    }

    @Override
    public void epochFinished(Epoch e) {
        String change = (Double.isNaN(e.labelChange()) ? ""
                : String.format(Locale.ROOT, " changed %.1f%%", 100 * e.labelChange()))
                + (Double.isNaN(e.epsilon()) ? "" : String.format(Locale.ROOT, "  ε %.3f", e.epsilon()));
        if (bar != null) {
            bar.stepTo((long) e.epoch() * batches);
            bar.setExtraMessage(String.format(Locale.ROOT, "%s %.4f%s", lossName(e.phase()), e.loss(), change));
        } else if (mode == Mode.LINES) {
            LOG.info(String.format(Locale.ROOT, "%s epoch %d/%d  %s %.5f%s  grad-norm %.3f  %.1f s%s", name(e.phase()),
                    e.epoch(), e.epochs(), lossName(e.phase()), e.loss(), change, e.gradNorm(), e.seconds(),
                    e.improved() || e.phase() == Phase.REFINEMENT ? "" : "  (no improvement)"));
        }
    }

    @Override
    public void stepFinished(Phase phase, int done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (mode == Mode.LINES) {
            // The last step, and one every few seconds before it: k-means restarts can take a
            // millisecond each, and ten lines of them say nothing.
            long now = System.nanoTime();
            if (done < phaseSteps && now - lastLine < STEP_LINE_NANOS) return;
            lastLine = now;
            LOG.info(String.format(Locale.ROOT, "%s %d/%d  %.1f s", name(phase), done, phaseSteps,
                    (now - phaseStart) / 1e9));
        }
    }

    @Override
    public void phaseEnded(Phase phase) {
        closeBar();
    }

    /** Closes the open bar, if any, ending its line. */
    @Override
    public void close() {
        closeBar();
    }

    private static boolean hasEpochs(Phase phase) {
        return phase == Phase.PRETRAINING || phase == Phase.REFINEMENT;
    }

    private String name(Phase phase) {
        return phase == Phase.REFINEMENT ? refineLabel : phase.label();
    }

    private String lossName(Phase phase) {
        return phase == Phase.REFINEMENT && refineLabel.equals("dec") ? "kl" : "loss";
    }

    /** A bar over {@code steps} steps of {@code unit} ticks each (batches of an epoch, or 1), from tick {@code from}. */
    private void openBar(Phase phase, int steps, int unit, long from) {
        bar = new ProgressBarBuilder().setTaskName(name(phase)).setInitialMax((long) steps * unit)
                .startsFrom(from, Duration.ZERO)
                .setRenderer((state, width) -> render(state.getTaskName(), state.getStart(), state.getCurrent(),
                        state.getMax(), state.isAlive() ? state.getElapsedAfterStart().toMillis() : -1, unit,
                        state.getExtraMessage(), width))
                .setConsumer(line = new LineConsumer(err)).setUpdateIntervalMillis(250).continuousUpdate().build();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            // progressbar 0.10.1 skips the consumer's close when the bar closes before its first
            // scheduled drawing (a phase of milliseconds): end the line here in that case.
            line.close();
            bar = null;
        }
    }

    /**
     * {@code name done/steps [=====>    ] message ETA h:mm:ss}: a bar of {@code max} ticks, {@code unit}
     * ticks a step (the batches of an epoch, or 1), where done counts whole steps and the ETA
     * extrapolates the ticks since the bar opened at tick {@code start}, {@code elapsedMs} ago
     * (negative: the bar is closing, whatever step it stopped at, and shows no ETA).
     */
    static String render(String task, long start, long current, long max, long elapsedMs, int unit, String message,
                         int width) {
        max = Math.max(1, max);
        current = Math.min(current, max);
        String head = String.format(Locale.ROOT, "%s %d/%d ", task, current / unit, max / unit);
        String tail = message == null || message.isEmpty() ? "" : " " + message;
        long ticks = current - start;
        if (ticks > 0 && current < max && elapsedMs >= 0) {
            long seconds = Math.round(elapsedMs / 1000.0 / ticks * (max - current));
            tail += String.format(Locale.ROOT, " ETA %d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        int cells = Math.max(10, Math.min(40, width - head.length() - tail.length() - 2));
        int filled = (int) (cells * current / max);
        StringBuilder b = new StringBuilder(head).append('[');
        for (int i = 0; i < cells; i++) b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        return b.append(']').append(tail).toString();
    }

    /**
     * Whether stderr is a terminal. Java does not say; on Linux /proc names the device behind file
     * descriptor 2. Elsewhere the console (stdin and stdout are terminals) stands in for it.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) return false;
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Draws a bar over itself on one line of {@code err}, and ends the line when the bar closes. */
    private static final class LineConsumer implements ProgressBarConsumer {
        private final PrintWriter err;
        private int drawn;
        private boolean closed;

        LineConsumer(PrintWriter err) {
            this.err = err;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public synchronized void accept(String rendered) {
            if (closed) return;
            // Pads over a longer previous drawing instead of an escape code: a plain \r works everywhere.
            err.print('\r' + rendered + " ".repeat(Math.max(0, drawn - rendered.length())));
            drawn = rendered.length();
            err.flush();
        }

        /** Ends the bar's line, once. */
        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            err.println();
            err.flush();
        }
    }
}
