package org.rnnclust.eval;

import org.rnnclust.baseline.ForestParams;
import org.rnnclust.baseline.PcaComponents;

/**
 * What each method may spend per dataset and seed, chosen so that the whole suite over
 * ../shared/data (41 sets) with 3 seeds fits in an hour on 2 CPU cores.
 *
 * <p>The autoencoder dominates: its cost is rows × steps × epochs. So it trains on at most
 * {@code rnnMaxRows} training sequences (a seeded subsample; every sequence is still embedded and
 * clustered), for {@code rnnStepBudget / (rows × steps)} epochs clamped to
 * [{@code rnnMinEpochs}, {@code rnnMaxEpochs}], stopping earlier on a loss plateau
 * ({@code rnnPatience} epochs without a 0.1 % improvement). Long series thus get fewer epochs,
 * not a different network.
 *
 * @param nInit          k-means++ restarts for every method's final k-means
 * @param pca            components of pca-kmeans
 * @param forest         trees, depth and rows of the forest baseline
 * @param rnnHidden      hidden size of the LSTM autoencoder (train's default 32)
 * @param rnnLatent      embedding size (train's default 8)
 * @param rnnMaxRows     training sequences the autoencoder sees at most
 * @param rnnStepBudget  sequence-steps (rows × steps × epochs) per training
 * @param rnnMinEpochs   epochs at least (unless the plateau rule stops first)
 * @param rnnMaxEpochs   epochs at most
 * @param rnnPatience    early-stopping patience in epochs
 */
public record EvaluationBudget(int nInit, PcaComponents pca, ForestParams forest, int rnnHidden, int rnnLatent,
                               int rnnMaxRows, long rnnStepBudget, int rnnMinEpochs, int rnnMaxEpochs,
                               int rnnPatience) {

    public EvaluationBudget {
        if (nInit < 1 || rnnHidden < 1 || rnnLatent < 1 || rnnMaxRows < 2 || rnnStepBudget < 1 || rnnMinEpochs < 1
                || rnnMaxEpochs < rnnMinEpochs || rnnPatience < 0) {
            throw new IllegalArgumentException("invalid evaluation budget");
        }
    }

    /**
     * The full suite's budget (README: "Evaluation suite"). Most UCR training sets are one or two
     * batches, so an epoch is one or two optimizer steps: a minimum of 100 epochs and a patience of
     * 50 keep the autoencoder from stopping on its initial plateau (with 10 and 10 it stopped at
     * 12–16 epochs; on 8 UCR sets this budget raised the rnn's NMI by 0.04 on average, and the
     * whole suite still takes minutes).
     */
    public static EvaluationBudget defaults() {
        return new EvaluationBudget(10, PcaComponents.defaults(), ForestParams.defaults(), 32, 8, 1000,
                30_000_000L, 100, 1000, 50);
    }

    /** A smoke run: seconds per dataset, scores not meant to be compared. */
    public static EvaluationBudget quick() {
        return new EvaluationBudget(3, PcaComponents.defaults(), new ForestParams(30, 4, 500), 16, 8, 200,
                100_000L, 2, 5, 3);
    }

    /** Autoencoder epochs for {@code rows} training sequences of {@code steps} steps. */
    public int rnnEpochs(int rows, int steps) {
        long perEpoch = Math.max(1L, (long) Math.min(rows, rnnMaxRows) * steps);
        long epochs = rnnStepBudget / perEpoch;
        return (int) Math.max(rnnMinEpochs, Math.min(rnnMaxEpochs, epochs));
    }
}
