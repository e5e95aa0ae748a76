package org.rnnclust.api;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.rnnclust.CancelledException;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.ConsensusClustering;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;

/**
 * The fitted reservoir representation ({@link Methods#reservoir}): one {@link ReservoirMember} or
 * several, and with several the consensus k-means of their partitions. Written once for
 * {@code evaluate}'s fits and for {@link ReservoirClusteringModel}. Close it to free the reservoirs.
 */
final class ReservoirRepresentation implements AutoCloseable {
    private final List<ReservoirMember> members;
    /** null with one member. */
    private final KMeansModel consensus;
    private final int k;
    /** The training sequences' embeddings (null for a representation restored from a file). */
    private final float[] trainingEmbeddings;

    ReservoirRepresentation(List<ReservoirMember> members, KMeansModel consensus, int k) {
        this(members, consensus, k, null);
    }

    private ReservoirRepresentation(List<ReservoirMember> members, KMeansModel consensus, int k,
                                    float[] trainingEmbeddings) {
        this.members = List.copyOf(members);
        this.consensus = consensus;
        this.k = k;
        this.trainingEmbeddings = trainingEmbeddings;
    }

    /**
     * Fits {@code settings.members()} reservoirs on {@code train}: one drawn from {@code seed}, or
     * several with seeds drawn from it, each clustered on its own, and then the consensus of their
     * partitions ({@link ConsensusClustering}).
     */
    static ReservoirRepresentation fit(ReservoirSettings settings, KMeansSettings kmeans, int perturbationUlps,
                                       Device device, PaddedSequences train, int k, long seed) {
        return fit(settings, kmeans, perturbationUlps, device, train, k, seed, () -> false, FitListener.NONE);
    }

    /**
     * The same, asking {@code cancelled} before each reservoir and telling {@code listener} of each
     * one fitted (phase {@link FitListener.Phase#RESERVOIRS}).
     *
     * @throws CancelledException when {@code cancelled} answers true
     */
    static ReservoirRepresentation fit(ReservoirSettings settings, KMeansSettings kmeans, int perturbationUlps,
                                       Device device, PaddedSequences train, int k, long seed,
                                       BooleanSupplier cancelled, FitListener listener) {
        List<ReservoirMember.Features> features = draw(settings, perturbationUlps, device, train, seed, cancelled,
                listener);
        try {
            return assemble(features, cluster(features, kmeans, device, k, seed), k, sideBySide(features));
        } catch (RuntimeException | Error e) {
            features.forEach(ReservoirMember.Features::close);
            throw e;
        }
    }

    /** A representation fitted for the k a {@link KSweep} chose, and the sweep. */
    record Swept(ReservoirRepresentation representation, KSweep sweep) {}

    /**
     * Draws the reservoirs and fits their model spaces once, as {@link #fit} does, then clusters for
     * every k of {@code ks} and scores each k on the training embeddings (every member's coordinates
     * side by side, as {@link #embed} gives them). The representation returned is the one
     * {@link #fit} gives for the chosen k, bit for bit.
     */
    static Swept sweep(ReservoirSettings settings, KMeansSettings kmeans, Device device, PaddedSequences train,
                       int[] ks, long seed, BooleanSupplier cancelled, FitListener listener) {
        List<ReservoirMember.Features> features = draw(settings, 0, device, train, seed, cancelled, listener);
        try {
            float[] embeddings = sideBySide(features);
            int width = embeddings.length / train.n();
            List<KSweep.Point> points = new ArrayList<>();
            List<Clustered> byK = new ArrayList<>();
            for (int k : ks) {
                Clustered c = cluster(features, kmeans, device, k, seed);
                KMeansModel clusters = c.clustering();
                points.add(KSweep.point(k, clusters.labels(), clusters.inertia(), embeddings, train.n(), width, seed));
                byK.add(c);
            }
            KSweep sweep = KSweep.choosing(points);
            Clustered chosen = byK.get(points.indexOf(sweep.best()));
            return new Swept(assemble(features, chosen, sweep.chosen(), embeddings), sweep);
        } catch (RuntimeException | Error e) {
            features.forEach(ReservoirMember.Features::close);
            throw e;
        }
    }

    /**
     * The part of a fit that does not depend on k: {@code settings.members()} reservoirs, one drawn
     * from {@code seed} or several with seeds drawn from it, each with its model space fitted.
     */
    private static List<ReservoirMember.Features> draw(ReservoirSettings settings, int perturbationUlps, Device device,
                                                       PaddedSequences train, long seed, BooleanSupplier cancelled,
                                                       FitListener listener) {
        if (cancelled.getAsBoolean()) throw new CancelledException("before the first reservoir");
        int r = settings.members();
        SplittableRandom seeds = new SplittableRandom(seed);
        List<ReservoirMember.Features> features = new ArrayList<>();
        listener.phaseStarted(FitListener.Phase.RESERVOIRS, r);
        try {
            for (int m = 0; m < r; m++) {
                if (m > 0 && cancelled.getAsBoolean()) throw new CancelledException("after " + m + " of " + r + " reservoirs");
                long memberSeed = r == 1 ? seed : seeds.nextLong();
                features.add(ReservoirMember.features(settings, m, perturbationUlps, device, train, memberSeed));
                listener.stepFinished(FitListener.Phase.RESERVOIRS, m + 1);
            }
            return features;
        } catch (RuntimeException | Error e) {
            features.forEach(ReservoirMember.Features::close);
            throw e;
        } finally {
            listener.phaseEnded(FitListener.Phase.RESERVOIRS);
        }
    }

    /** Each member's k-means into k clusters and, with several members, the consensus of their partitions. */
    private record Clustered(List<KMeansModel> members, KMeansModel consensus) {
        KMeansModel clustering() {
            return consensus != null ? consensus : members.get(0);
        }
    }

    private static Clustered cluster(List<ReservoirMember.Features> features, KMeansSettings kmeans, Device device,
                                     int k, long seed) {
        List<KMeansModel> members = new ArrayList<>();
        for (ReservoirMember.Features f : features) members.add(f.cluster(kmeans, device, k));
        KMeansModel consensus = members.size() == 1 ? null : ConsensusClustering.model(device.backend(),
                members.stream().map(KMeansModel::labels).toList(), k, kmeans.params(k, seed));
        return new Clustered(members, consensus);
    }

    /** The members of {@code features} with their k-means; they take over the reservoirs. */
    private static ReservoirRepresentation assemble(List<ReservoirMember.Features> features, Clustered c, int k,
                                                    float[] trainingEmbeddings) {
        List<ReservoirMember> members = new ArrayList<>();
        for (int m = 0; m < features.size(); m++) members.add(ReservoirMember.of(features.get(m), c.members().get(m)));
        return new ReservoirRepresentation(members, c.consensus(), k, trainingEmbeddings);
    }

    /** The training sequences' embeddings: every member's reduced coordinates side by side. */
    private static float[] sideBySide(List<ReservoirMember.Features> features) {
        int n = features.get(0).n();
        int width = 0;
        for (ReservoirMember.Features f : features) width += f.dimension();
        float[] out = new float[Math.multiplyExact(n, width)];
        int offset = 0;
        for (ReservoirMember.Features f : features) {
            int d = f.dimension();
            for (int i = 0; i < n; i++) System.arraycopy(f.z(), i * d, out, i * width + offset, d);
            offset += d;
        }
        return out;
    }

    /** The embeddings of the sequences it was fitted on, as {@link #embed} gives them; null for a restored one. */
    float[] trainingEmbeddings() {
        return trainingEmbeddings;
    }

    /** The number of clusters. */
    int clusters() {
        return k;
    }

    List<ReservoirMember> members() {
        return members;
    }

    /** The final clustering: the one member's k-means, or the consensus k-means. */
    KMeansModel clustering() {
        return consensus != null ? consensus : members.get(0).kmeans();
    }

    /**
     * What {@link #clustering}'s centroids live among, for {@code data}: the one member's reduced
     * coordinates, or every member's cluster, one-hot, side by side (each sequence is then assigned
     * by all members).
     */
    float[] clusteringInput(Backend backend, PaddedSequences data) {
        return run(backend, data, false, true)[1];
    }

    /** {@link #embed} and {@link #clusteringInput} of the same data, each reservoir run once. */
    float[][] embedAndClusteringInput(Backend backend, PaddedSequences data) {
        return run(backend, data, true, true);
    }

    /** Every member on {@code data}: the embeddings side by side, and the clustering input, each when asked for. */
    private float[][] run(Backend backend, PaddedSequences data, boolean embeddings, boolean clusteringInput) {
        int n = data.n();
        int width = embeddingDimension();
        float[] out = embeddings ? new float[Math.multiplyExact(n, width)] : null;
        List<int[]> labels = new ArrayList<>();
        float[] single = null;
        int offset = 0;
        for (ReservoirMember member : members) {
            float[] z = member.embed(data);
            int d = member.dimension();
            if (out != null) for (int i = 0; i < n; i++) System.arraycopy(z, i * d, out, i * width + offset, d);
            offset += d;
            if (!clusteringInput) continue;
            if (consensus == null) single = z;
            else labels.add(member.kmeans().predict(backend, z, n).labels());
        }
        float[] input = !clusteringInput ? null : consensus == null ? single : ConsensusClustering.oneHot(labels, k);
        return new float[][] {out, input};
    }

    /** Size of a row of {@link #clusteringInput}. */
    int clusteringDimension() {
        return consensus != null ? members.size() * k : members.get(0).dimension();
    }

    /** The embeddings [n, embeddingDimension()] of {@code data}: every member's reduced coordinates side by side. */
    float[] embed(PaddedSequences data) {
        return run(null, data, true, false)[0];
    }

    int embeddingDimension() {
        int width = 0;
        for (ReservoirMember member : members) width += member.dimension();
        return width;
    }

    /** Numbers it holds: the members' and the consensus centroids. */
    long parameterCount() {
        long n = 0;
        for (ReservoirMember member : members) n += member.parameterCount();
        return consensus == null ? n : n + (long) k * members.size() * k;
    }

    @Override
    public void close() {
        members.forEach(ReservoirMember::close);
    }
}
