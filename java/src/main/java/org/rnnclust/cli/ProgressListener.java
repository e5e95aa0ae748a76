package org.rnnclust.cli;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rnnclust.api.FitListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A progress bar with the loss on a terminal; one plain log line per epoch otherwise (batch jobs, pipes). */
final class ProgressListener implements FitListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;

    @Override
    public void epochStarted(Phase phase, int epoch, int batches) {
        if (!terminal) return;
        String task = (phase == Phase.REFINEMENT ? "refine " : "epoch ") + epoch;
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .continuousUpdate().build();
    }

    @Override
    public void batchFinished(Phase phase, int epoch, int batch, double loss) {
        if (bar == null) return;
        bar.stepTo(batch);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    }

    @Override
    public void epochFinished(Epoch e) {
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", e.loss()));
            bar.close();
            bar = null;
        } else {
            LOG.info(String.format(Locale.ROOT, "%sepoch %d/%d  loss %.5f  grad-norm %.3f  %.1fs%s",
                    e.phase() == Phase.REFINEMENT ? "refinement " : "", e.epoch(), e.epochs(), e.loss(), e.gradNorm(),
                    e.seconds(), e.improved() || e.phase() == Phase.REFINEMENT ? "" : "  (no improvement)"));
        }
    }
}
