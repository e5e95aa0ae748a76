package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.rnnclust.CancelledException;
import org.rnnclust.Setting;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.io.ModelFile;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.nn.SoftAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEC / IDEC refinement of a pretrained autoencoder and its starting centroids: an objective of
 * the {@link TrainingLoop}, which owns the batches, the divergence checks, clipping, Adam and the
 * checkpoints; what is refinement's own is the target distribution and the convergence test.
 *
 * <p>Every {@code updateInterval} batches the whole data set is embedded, softly assigned to the
 * centroids (Student-t, q) and the sharpened target p = q²/f (normalised) is fixed; between
 * updates each batch takes an Adam step on KL(P‖Q) (DEC) or reconstruction + γ·KL (IDEC),
 * moving the encoder, the latent layer and the centroids (IDEC also the decoder). Refinement
 * stops at an update where fewer than {@code tol} of the labels (argmax q) changed since the
 * previous update, or after {@code epochs} passes.
 *
 * <p>Checkpointed after every epoch, and where a cancellation stops it, in the
 * {@value CheckpointFile#REFINEMENT} section (the network, the centroids, Adam's moments, the
 * target, the epoch's running sums and the histories); a resumed run continues that section when
 * its settings and starting centroids are the same (its epoch limit may be higher), and ends with
 * the uninterrupted run's result.
 */
public final class Refinement {
    private static final Logger LOG = LoggerFactory.getLogger(Refinement.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CENTROIDS = "centroids";

    private final Backend backend;
    private final TensorOps ops;
    private final RefineParams params;
    private final TrainingListener listener;
    private final BooleanSupplier cancelled;

    public Refinement(Backend backend, RefineParams params, TrainingListener listener) {
        this(backend, params, listener, null);
    }

    /** @param cancelled polled before every batch; when it answers true, refinement stops with a CancelledException */
    public Refinement(Backend backend, RefineParams params, TrainingListener listener, BooleanSupplier cancelled) {
        this.backend = backend;
        this.ops = backend.tensorOps();
        this.params = params;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /** Refines without checkpoints (see {@link #refine(SequenceAutoencoder, PaddedSequences, float[], int, CheckpointFile)}). */
    public RefinementResult refine(SequenceAutoencoder model, PaddedSequences data, float[] initialCentroids, int k) {
        return refine(model, data, initialCentroids, k, CheckpointFile.none());
    }

    /**
     * Refines {@code model} (in place) and the centroids on {@code data}.
     *
     * @param initialCentroids [k, D] row-major, the clustering of the pretrained embeddings
     */
    public RefinementResult refine(SequenceAutoencoder model, PaddedSequences data, float[] initialCentroids, int k,
                                   CheckpointFile checkpoint) {
        long start = System.nanoTime();
        int n = data.n();
        int d = model.spec().latent();
        if (initialCentroids.length != (long) k * d) {
            throw new IllegalArgumentException("centroids have " + initialCentroids.length + " values, expected " + k + " × " + d);
        }
        boolean idec = params.method() == RefineMethod.IDEC;
        if (params.method() == RefineMethod.NONE || params.epochs() == 0) {
            KMeansModel.Assignment a = assign(model, data, initialCentroids, k);
            return new RefinementResult(initialCentroids.clone(), a.labels(), a.inertia(), 0, 0, 0, false, List.of(),
                    List.of(), List.of(), List.of(), (System.nanoTime() - start) / 1e9);
        }
        int batchSize = Math.min(params.batchSize(), n);
        int batches = TrainingLoop.batchesPerEpoch(n, params.batchSize());
        TrainingLoop.Settings settings = new TrainingLoop.Settings("refinement", params.epochs(), batchSize,
                params.seed(), params.clipNorm(), 0, 0, "lower the refinement's learning rate",
                List.of(Setting.REFINE_LEARNING_RATE));
        try (SoftAssignment layer = new SoftAssignment(ops, k, d, (float) params.alpha(), initialCentroids);
             Target target = new Target(model, layer, data, k,
                     params.updateInterval() > 0 ? params.updateInterval() : batches, idec)) {
            Map<String, Parameter> all = new LinkedHashMap<>(model.namedParameters());
            all.put(CENTROIDS, layer.centroids());
            List<String> trained = new ArrayList<>();
            List<Parameter> encoder = model.encoderParameters();
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                if (idec || encoder.contains(e.getValue())) trained.add(e.getKey());
            }
            trained.add(CENTROIDS);
            List<Parameter> trainedParams = trained.stream().map(all::get).toList();
            try (Adam adam = new Adam(ops, trainedParams, params.lr(), 0)) {
                String startDigest = digest(initialCentroids, n, k);
                TrainingLoop.Progress from = TrainingLoop.Progress.START;
                CheckpointFile.Section saved = checkpoint.section(CheckpointFile.REFINEMENT);
                if (saved != null && sameStart(saved, startDigest) && checkpoint.within(saved, params.epochs())) {
                    from = checkpoint.restoreLoop(CheckpointFile.REFINEMENT, saved, all, trained, adam, batches);
                    target.restore(checkpoint, saved);
                } else if (saved != null) {
                    LOG.info("The checkpoint's refinement had other settings, another start or more epochs: refining"
                            + " from the start");
                }
                TrainingLoop.Outcome outcome;
                try {
                    outcome = new TrainingLoop(ops, settings, withLabelChange(target), cancelled).run(data, target, adam, from, p -> {
                        CheckpointFile.Section s = CheckpointFile.loopSection(p, all, trained, adam);
                        s.fields().set("settings", describe(params));
                        s.fields().put("start", startDigest);
                        target.save(s);
                        checkpoint.save(CheckpointFile.REFINEMENT, s);
                    });
                } catch (TrainingDivergedException e) {
                    throw e.withNote(checkpoint.keptNote(e.epoch() - 1));
                } catch (CancelledException e) {
                    throw new CancelledException(e.getMessage() + checkpoint.cancelledNote());
                }
                float[] centroids = layer.centroids().get();
                KMeansModel.Assignment last = assign(model, data, centroids, k);
                double change = target.change;
                if (!target.converged && target.labels != null) change = changedFraction(target.labels, last.labels());
                return new RefinementResult(centroids, last.labels(), last.inertia(), outcome.progress().epochs(),
                        outcome.progress().steps(),
                        change, target.converged, List.copyOf(target.klHistory), List.copyOf(target.recHistory),
                        List.copyOf(target.changes), List.copyOf(target.intervalKl), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** The listener, told in each finished epoch what fraction of labels the last target update changed. */
    private TrainingListener withLabelChange(Target target) {
        TrainingListener to = listener == null ? TrainingListener.NONE : listener;
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int batches) {
                to.epochStarted(epoch, batches);
            }

            @Override
            public void batchFinished(int epoch, int batch, double loss) {
                to.batchFinished(epoch, batch, loss);
            }

            @Override
            public void epochFinished(Epoch e) {
                to.epochFinished(e.withLabelChange(target.change));
            }
        };
    }

    /**
     * Refinement's objective: KL(P‖Q) of the batch's soft assignment against the fixed target (DEC),
     * plus the reconstruction loss (IDEC: rec + γ·KL); the target is renewed every
     * {@code interval} steps, and a renewal that changes fewer than {@code tol} of the labels ends
     * refinement.
     */
    private final class Target implements TrainingLoop.Objective, AutoCloseable {
        private final SequenceAutoencoder model;
        private final SoftAssignment layer;
        private final PaddedSequences data;
        private final int k;
        private final int d;
        private final int interval;
        private final boolean idec;
        private final float klScale;
        private final DeviceBuffer pBatch;
        private final DeviceBuffer dz;
        private final float[] pb;
        float[] p;
        int[] labels;
        double intervalStartKl = Double.NaN;
        double change = Double.NaN;
        boolean converged;
        final List<Double> klHistory = new ArrayList<>();
        final List<Double> recHistory = new ArrayList<>();
        final List<Double> changes = new ArrayList<>();
        final List<double[]> intervalKl = new ArrayList<>();
        private double klSum;
        private double recSum;
        private int seen;

        Target(SequenceAutoencoder model, SoftAssignment layer, PaddedSequences data, int k, int interval, boolean idec) {
            this.model = model;
            this.layer = layer;
            this.data = data;
            this.k = k;
            this.d = model.spec().latent();
            this.interval = interval;
            this.idec = idec;
            this.klScale = idec ? (float) params.klWeight() : 1f;
            int batchSize = Math.min(params.batchSize(), data.n());
            this.pBatch = ops.allocate((long) batchSize * k);
            this.dz = ops.allocate((long) batchSize * d);
            this.pb = new float[batchSize * k];
        }

        @Override
        public boolean finished() {
            return converged;
        }

        @Override
        public boolean beforeBatch(int steps) {
            if (steps % interval != 0) return true;
            Targets t = targets(model, data, layer, k, p);
            if (p != null) intervalKl.add(new double[] {intervalStartKl, t.previousKl});
            intervalStartKl = t.kl;
            if (labels != null) {
                change = changedFraction(labels, t.labels);
                changes.add(change);
                if (change < params.tol()) {
                    converged = true;
                    labels = t.labels;
                    return false;
                }
            }
            p = t.p;
            labels = t.labels;
            return true;
        }

        @Override
        public TrainingLoop.BatchLoss forwardBackward(BatchLoader loader, SequenceMask mask, int[] order, int from,
                                                      int count, int epoch, int batch) {
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
            model.backward(idec ? 1f : 0f, dz);
            klSum += kl * count;
            recSum += rec * count;
            seen += count;
            return new TrainingLoop.BatchLoss(rec + klScale * kl, count, Double.NaN);
        }

        @Override
        public void epochFinished() {
            klHistory.add(klSum / seen);
            if (idec) recHistory.add(recSum / seen);
            klSum = 0;
            recSum = 0;
            seen = 0;
        }

        /** Adds the target, the labels, the epoch's running sums and the histories to a checkpoint section. */
        void save(CheckpointFile.Section s) {
            ObjectNode f = s.fields();
            f.put("converged", converged);
            f.put("kl_sum", klSum);
            f.put("reconstruction_sum", recSum);
            f.put("rows_seen", seen);
            f.put("label_change", change);
            f.put("interval_start_kl", intervalStartKl);
            putAll(f.putArray("kl_history"), klHistory);
            putAll(f.putArray("reconstruction_history"), recHistory);
            putAll(f.putArray("label_change_history"), changes);
            ArrayNode pairs = f.putArray("interval_kl");
            for (double[] pair : intervalKl) pairs.addArray().add(pair[0]).add(pair[1]);
            if (p != null) s.tensors().put("target", new ModelFile.Tensor("target", new int[] {data.n(), k}, p.clone()));
            if (labels != null) {
                float[] l = new float[labels.length];
                for (int i = 0; i < l.length; i++) l[i] = labels[i];
                s.tensors().put("labels", new ModelFile.Tensor("labels", new int[] {labels.length}, l));
            }
        }

        void restore(CheckpointFile file, CheckpointFile.Section s) {
            JsonNode f = s.fields();
            converged = f.path("converged").asBoolean();
            change = file.number(f, "label_change");
            intervalStartKl = file.number(f, "interval_start_kl");
            if (f.has("rows_seen")) {  // absent from checkpoints of format 2, which stopped only between epochs
                klSum = file.number(f, "kl_sum");
                recSum = file.number(f, "reconstruction_sum");
                seen = file.natural(f, "rows_seen");
            }
            klHistory.addAll(file.doubles(f, "kl_history"));
            recHistory.addAll(file.doubles(f, "reconstruction_history"));
            changes.addAll(file.doubles(f, "label_change_history"));
            for (JsonNode pair : f.path("interval_kl")) {
                intervalKl.add(new double[] {file.toDouble(pair.get(0), "interval_kl"), file.toDouble(pair.get(1), "interval_kl")});
            }
            if (s.tensors().containsKey("target")) {
                p = file.tensor(CheckpointFile.REFINEMENT, s, "target", (long) data.n() * k).data().clone();
            }
            if (s.tensors().containsKey("labels")) {
                float[] l = file.tensor(CheckpointFile.REFINEMENT, s, "labels", data.n()).data();
                labels = new int[l.length];
                for (int i = 0; i < l.length; i++) labels[i] = (int) l[i];
            }
        }

        @Override
        public void close() {
            pBatch.close();
            dz.close();
        }
    }

    private static void putAll(ArrayNode a, List<Double> values) {
        values.forEach(a::add);
    }

    /**
     * Whether a saved refinement section continues this refinement: same settings (the epoch limit
     * aside: a higher one continues the run), same start.
     */
    private boolean sameStart(CheckpointFile.Section saved, String startDigest) {
        ObjectNode now = describe(params);
        now.remove("epochs");
        JsonNode savedSettings = saved.fields().get("settings");
        if (!(savedSettings instanceof ObjectNode was)) return false;
        ObjectNode then = was.deepCopy();
        then.remove("epochs");
        // Compared as text: a long 5 reads back as an int node, which equals() tells apart.
        return now.toString().equals(then.toString()) && startDigest.equals(saved.fields().path("start").asText());
    }

    /** The settings a resumed refinement must repeat. */
    private static ObjectNode describe(RefineParams p) {
        ObjectNode o = p.describe(JSON.createObjectNode());
        o.put("batch", p.batchSize());
        o.put("clip", p.clipNorm());
        o.put("seed", p.seed());
        return o;
    }

    /** SHA-256 of the starting centroids' bits and the data's row count. */
    private static String digest(float[] centroids, int n, int k) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * centroids.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(k);
        for (float c : centroids) b.putFloat(c);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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

    /** Every sequence under the current model to its nearest centroid (see {@link #assign(Backend, SequenceAutoencoder, PaddedSequences, float[], int, int)}). */
    private KMeansModel.Assignment assign(SequenceAutoencoder model, PaddedSequences data, float[] centroids, int k) {
        return assign(backend, model, data, centroids, k, params.batchSize());
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
