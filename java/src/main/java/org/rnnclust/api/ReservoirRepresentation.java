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

    ReservoirRepresentation(List<ReservoirMember> members, KMeansModel consensus, int k) {
        this.members = List.copyOf(members);
        this.consensus = consensus;
        this.k = k;
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
        if (cancelled.getAsBoolean()) throw new CancelledException("before the first reservoir");
        listener.phaseStarted(FitListener.Phase.RESERVOIRS, settings.members());
        try {
            return fitMembers(settings, kmeans, perturbationUlps, device, train, k, seed, cancelled, listener);
        } finally {
            listener.phaseEnded(FitListener.Phase.RESERVOIRS);
        }
    }

    private static ReservoirRepresentation fitMembers(ReservoirSettings settings, KMeansSettings kmeans,
                                                      int perturbationUlps, Device device, PaddedSequences train,
                                                      int k, long seed, BooleanSupplier cancelled,
                                                      FitListener listener) {
        if (settings.members() == 1) {
            ReservoirMember only = ReservoirMember.fit(settings, kmeans, perturbationUlps, device, train, k, seed);
            listener.stepFinished(FitListener.Phase.RESERVOIRS, 1);
            return new ReservoirRepresentation(List.of(only), null, k);
        }
        SplittableRandom seeds = new SplittableRandom(seed);
        List<ReservoirMember> members = new ArrayList<>();
        try {
            List<int[]> partitions = new ArrayList<>();
            for (int m = 0; m < settings.members(); m++) {
                if (m > 0 && cancelled.getAsBoolean()) {
                    throw new CancelledException("after " + m + " of " + settings.members() + " reservoirs");
                }
                ReservoirMember member = ReservoirMember.fit(settings, kmeans, perturbationUlps, device, train, k,
                        seeds.nextLong());
                members.add(member);
                partitions.add(member.kmeans().labels());
                listener.stepFinished(FitListener.Phase.RESERVOIRS, m + 1);
            }
            KMeansModel consensus = ConsensusClustering.model(device.backend(), partitions, k, kmeans.params(k, seed));
            return new ReservoirRepresentation(members, consensus, k);
        } catch (RuntimeException | Error e) {
            members.forEach(ReservoirMember::close);
            throw e;
        }
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
