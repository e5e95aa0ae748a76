package org.rnnclust.train;

import java.util.ArrayList;
import java.util.List;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.nn.SoftAssignment;

/**
 * DEC / IDEC refinement of a pretrained autoencoder and its k-means centroids, written once above
 * the backend.
 *
 * <p>Every {@code updateInterval} batches the whole data set is embedded, softly assigned to the
 * centroids (Student-t, q) and the sharpened target p = q²/f (normalised) is fixed; between
 * updates each batch takes an Adam step on KL(P‖Q) (DEC) or reconstruction + γ·KL (IDEC),
 * moving the encoder, the latent layer and the centroids (IDEC also the decoder). Refinement
 * stops at an update where fewer than {@code tol} of the labels (argmax q) changed since the
 * previous update, or after {@code epochs} passes.
 *
 * <p>Reproducible like {@link Trainer}: batch order from (seed, epoch), deterministic CPU ops.
 */
public final class Refinement {
    private final Backend backend;
    private final TensorOps ops;
    private final RefineParams params;
    private final TrainingListener listener;

    public Refinement(Backend backend, RefineParams params, TrainingListener listener) {
        this.backend = backend;
        this.ops = backend.tensorOps();
        this.params = params;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /**
     * Refines {@code model} (in place) and the centroids on {@code data}.
     *
     * @param initialCentroids [k, D] row-major, usually k-means on the pretrained embeddings
     */
    public RefinementResult refine(SequenceAutoencoder model, PaddedSequences data, float[] initialCentroids, int k) {
        long start = System.nanoTime();
        int n = data.n();
        int d = model.spec().latent();
        if (initialCentroids.length != (long) k * d) {
            throw new IllegalArgumentException("centroids have " + initialCentroids.length + " values, expected " + k + " × " + d);
        }
        boolean idec = params.method() == RefineMethod.IDEC;
        if (params.method() == RefineMethod.NONE || params.epochs() == 0) {
            int[] labels = assign(model, data, initialCentroids, k);
            return new RefinementResult(initialCentroids.clone(), labels, 0, 0, 0, false, List.of(), List.of(),
                    List.of(), List.of(), (System.nanoTime() - start) / 1e9);
        }
        int batchSize = Math.min(params.batchSize(), n);
        int batches = (n + batchSize - 1) / batchSize;
        int interval = params.updateInterval() > 0 ? params.updateInterval() : batches;
        float klScale = idec ? (float) params.klWeight() : 1f;
        try (SoftAssignment layer = new SoftAssignment(ops, k, d, (float) params.alpha(), initialCentroids);
             BatchLoader loader = new BatchLoader(ops, data, batchSize);
             DeviceBuffer pBatch = ops.allocate((long) batchSize * k);
             DeviceBuffer dz = ops.allocate((long) batchSize * d)) {
            List<Parameter> trained = new ArrayList<>(idec ? model.parameters() : model.encoderParameters());
            trained.add(layer.centroids());
            try (Adam adam = new Adam(ops, trained, params.lr(), 0)) {
                float[] p = null;
                int[] labels = null;
                float[] pb = new float[batchSize * k];
                List<Double> klHistory = new ArrayList<>();
                List<Double> recHistory = new ArrayList<>();
                List<Double> changes = new ArrayList<>();
                List<double[]> intervalKl = new ArrayList<>();
                double intervalStartKl = Double.NaN;
                double change = Double.NaN;
                boolean converged = false;
                int steps = 0;
                int epochs = 0;
                for (int epoch = 0; epoch < params.epochs() && !converged; epoch++) {
                    long t0 = System.nanoTime();
                    listener.epochStarted(epoch + 1, batches);
                    int[] order = Trainer.permutation(params.seed(), n, epoch);
                    double klSum = 0;
                    double recSum = 0;
                    int seen = 0;
                    double lastNorm = 0;
                    for (int b = 0; b < batches; b++) {
                        if (steps % interval == 0) {
                            Targets t = targets(model, data, layer, k, p);
                            if (p != null) intervalKl.add(new double[] {intervalStartKl, t.previousKl});
                            intervalStartKl = t.kl;
                            if (labels != null) {
                                change = changedFraction(labels, t.labels);
                                changes.add(change);
                                if (change < params.tol()) {
                                    converged = true;
                                    labels = t.labels;
                                    break;
                                }
                            }
                            p = t.p;
                            labels = t.labels;
                        }
                        int from = b * batchSize;
                        int count = Math.min(batchSize, n - from);
                        SequenceMask mask = loader.load(order, from, count);
                        for (int i = 0; i < count; i++) System.arraycopy(p, order[from + i] * k, pb, i * k, k);
                        ops.upload(pb, 0, pBatch, 0, count * k);
                        model.zeroGrad();
                        layer.zeroGrad();
                        double rec = 0;
                        DeviceBuffer z;
                        if (idec) {
                            rec = model.forward(loader.input(), mask);
                            z = model.embedding();
                        } else {
                            z = model.embed(loader.input(), mask);
                        }
                        layer.assign(count, z, 0);
                        ops.zero(dz, 0, (long) count * d);
                        double kl = layer.lossAndBackward(count, z, 0, pBatch, klScale, dz);
                        double loss = rec + klScale * kl;
                        if (!Double.isFinite(loss)) {
                            throw new TrainingDivergedException(epoch + 1, "refinement diverged in epoch " + (epoch + 1)
                                    + ", batch " + (b + 1) + " (loss " + loss + "): lower --refine-lr");
                        }
                        model.backward(idec ? 1f : 0f, dz);
                        lastNorm = params.clipNorm() > 0 ? adam.clipGradients(params.clipNorm()) : adam.gradientNorm();
                        adam.step();
                        steps++;
                        klSum += kl * count;
                        recSum += rec * count;
                        seen += count;
                        listener.batchFinished(epoch + 1, b + 1, loss);
                    }
                    if (seen == 0) break;
                    epochs++;
                    klHistory.add(klSum / seen);
                    if (idec) recHistory.add(recSum / seen);
                    listener.epochFinished(new TrainingListener.Epoch(epoch + 1, params.epochs(),
                            (recSum + klScale * klSum) / seen, lastNorm, (System.nanoTime() - t0) / 1e9, true));
                }
                float[] centroids = layer.centroids().get();
                int[] finalLabels = assign(model, data, centroids, k);
                if (!converged && labels != null) {
                    change = changedFraction(labels, finalLabels);
                }
                return new RefinementResult(centroids, finalLabels, epochs, steps, change, converged,
                        List.copyOf(klHistory), List.copyOf(recHistory), List.copyOf(changes), List.copyOf(intervalKl),
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /**
     * @param kl         KL(P‖Q) of the new target against the current q, over all data
     * @param previousKl KL of the previous target against the current q (NaN when there was none)
     */
    private record Targets(float[] p, int[] labels, double kl, double previousKl) {}

    /**
     * The target distribution and the labels (argmax q) of the whole data set under the current
     * model, with the KL of the new and the previous target (null for none) against it.
     */
    private Targets targets(SequenceAutoencoder model, PaddedSequences data, SoftAssignment layer, int k,
                            float[] previous) {
        int n = data.n();
        float[] z = Trainer.embed(ops, model, data, params.batchSize());
        try (DeviceBuffer zd = ops.allocate(z.length); DeviceBuffer pd = ops.allocate((long) n * k)) {
            ops.upload(z, zd);
            DeviceBuffer q = layer.assign(n, zd, 0);
            double previousKl = Double.NaN;
            if (previous != null) {
                ops.upload(previous, pd);
                previousKl = ops.klDivergence(n, k, pd, 0, q, 0);
            }
            ops.decTarget(n, k, q, 0, pd, 0);
            double kl = ops.klDivergence(n, k, pd, 0, q, 0);
            float[] qh = new float[n * k];
            ops.download(q, 0, qh, 0, n * k);
            return new Targets(ops.toHost(pd), argmax(qh, n, k), kl, previousKl);
        }
    }

    /** Labels of every sequence under the current model (see {@link #assign(Backend, SequenceAutoencoder, PaddedSequences, float[], int, int)}). */
    private int[] assign(SequenceAutoencoder model, PaddedSequences data, float[] centroids, int k) {
        return assign(backend, model, data, centroids, k, params.batchSize()).labels();
    }

    /**
     * Embeds {@code data} with {@code model} and assigns each sequence to the nearest of
     * {@code centroids} [k, D] (the argmax of the Student-t soft assignment), the way
     * {@code cluster --model} does: how refined centroids are applied to new data (e.g. TEST after
     * fitting on TRAIN).
     */
    public static KMeansModel.Assignment assign(Backend backend, SequenceAutoencoder model, PaddedSequences data,
                                                float[] centroids, int k, int batchSize) {
        int d = model.spec().latent();
        float[] z = Trainer.embed(backend.tensorOps(), model, data, batchSize);
        return new KMeansModel(k, d, centroids, null, Double.NaN, 0, true, List.of()).predict(backend, z, data.n());
    }

    static int[] argmax(float[] q, int n, int k) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (q[i * k + j] > q[i * k + best]) best = j;
            }
            out[i] = best;
        }
        return out;
    }

    static double changedFraction(int[] a, int[] b) {
        int changed = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) changed++;
        }
        return (double) changed / a.length;
    }
}
