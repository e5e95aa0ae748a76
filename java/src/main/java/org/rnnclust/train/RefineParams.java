package org.rnnclust.train;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How to refine a pretrained autoencoder and its centroids with DEC or IDEC.
 *
 * @param method         dec, idec or none
 * @param epochs         passes over the data at most
 * @param klWeight       γ: IDEC's loss is L_rec + γ·KL (0.1 in the IDEC paper); DEC's is the KL alone
 *                       and ignores it
 * @param updateInterval batches between target-distribution updates; 0 = once per epoch
 * @param tol            stop at a target update when fewer than this fraction of labels changed since
 *                       the previous one (0.001 as in DEC and IDEC)
 * @param lr             Adam learning rate for network and centroids
 * @param batchSize      sequences per optimizer step
 * @param clipNorm       global gradient-norm clipping (0 = off)
 * @param alpha          Student-t degrees of freedom (1 as in DEC)
 * @param seed           batch order; the same seed gives the same result
 */
public record RefineParams(RefineMethod method, int epochs, double klWeight, int updateInterval, double tol, double lr,
                           int batchSize, double clipNorm, double alpha, long seed) {
    public static final int DEFAULT_EPOCHS = 50;
    public static final double DEFAULT_KL_WEIGHT = 0.1;
    public static final int DEFAULT_UPDATE_INTERVAL = 0;
    public static final double DEFAULT_TOL = 1e-3;
    public static final double DEFAULT_LR = 1e-3;

    public RefineParams {
        if (method == null) throw new IllegalArgumentException("refinement method missing");
        if (epochs < 0) throw new IllegalArgumentException("refinement epochs must be >= 0, got " + epochs);
        if (!(klWeight > 0) || !Double.isFinite(klWeight)) {
            throw new IllegalArgumentException("refinement weight must be > 0, got " + klWeight);
        }
        if (updateInterval < 0) throw new IllegalArgumentException("update interval must be >= 0, got " + updateInterval);
        if (!(tol >= 0) || tol > 1) throw new IllegalArgumentException("refinement tolerance must be in [0, 1], got " + tol);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("refinement lr must be > 0, got " + lr);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clip norm must be >= 0, got " + clipNorm);
        if (!(alpha > 0)) throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
    }

    /** The documented defaults with the given method, batch size and seed. */
    public static RefineParams defaults(RefineMethod method, int batchSize, long seed) {
        return new RefineParams(method, DEFAULT_EPOCHS, DEFAULT_KL_WEIGHT, DEFAULT_UPDATE_INTERVAL, DEFAULT_TOL,
                DEFAULT_LR, batchSize, TrainConfig.DEFAULT_CLIP, 1.0, seed);
    }

    public RefineParams withEpochs(int e) {
        return new RefineParams(method, e, klWeight, updateInterval, tol, lr, batchSize, clipNorm, alpha, seed);
    }

    public RefineParams withMethod(RefineMethod m) {
        return new RefineParams(m, epochs, klWeight, updateInterval, tol, lr, batchSize, clipNorm, alpha, seed);
    }

    /**
     * Puts the settings that define the refinement's objective (method, epochs, weight,
     * update_interval, tol, lr, alpha) into {@code into}, as the model file records them.
     */
    public ObjectNode describe(ObjectNode into) {
        into.put("method", method.label());
        into.put("epochs", epochs);
        into.put("weight", klWeight);
        into.put("update_interval", updateInterval);
        into.put("tol", tol);
        into.put("lr", lr);
        into.put("alpha", alpha);
        return into;
    }
}
