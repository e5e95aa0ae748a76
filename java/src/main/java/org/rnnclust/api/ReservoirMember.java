package org.rnnclust.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.baseline.Pca;
import org.rnnclust.baseline.Standardization;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.Reservoir;
import org.rnnclust.nn.ReservoirModelSpace;

/**
 * One fitted reservoir of the reservoir representation: the network and the principal axes of its
 * states (its model space), the standardisation and PCA of the model-space coordinates, and the
 * k-means of the reduced coordinates. The network lives on a device: close the member.
 */
final class ReservoirMember implements AutoCloseable {
    private final ReservoirModelSpace space;
    private final Standardization scaling;
    private final Pca pca;
    private final KMeansModel kmeans;

    private ReservoirMember(ReservoirModelSpace space, Standardization scaling, Pca pca, KMeansModel kmeans) {
        this.space = space;
        this.scaling = scaling;
        this.pca = pca;
        this.kmeans = kmeans;
    }

    /**
     * A fitted member without its k-means, the part that does not depend on k: a reservoir drawn
     * from {@code seed} (every weight then moved up by {@code perturbationUlps} ulps, the
     * sensitivity probe; 0: none), its model space, the standardisation and PCA of the model-space
     * coordinates, and the training sequences' reduced coordinates.
     */
    static Features features(ReservoirSettings settings, int perturbationUlps, Device device, PaddedSequences train,
                             long seed) {
        Reservoir network = new Reservoir(device.backend().tensorOps(), train.channels(), settings.spec(), seed);
        try {
            network.moveUpByUlps(perturbationUlps);
            boolean deterministic = device.backend().deterministic();
            ReservoirModelSpace space = ReservoirModelSpace.fit(network, train, deterministic);
            float[] coordinates = space.coordinates(train);
            Standardization scaling = Standardization.fit(coordinates, train.n(), space.dimension());
            float[] scaled = scaling.apply(coordinates, train.n());
            Pca pca = Pca.fit(scaled, train.n(), space.dimension(), settings.pca().rule(), deterministic);
            return new Features(space, scaling, pca, pca.transform(scaled, train.n()), train.n(), seed);
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
    }

    /** The member of {@code f} with the k-means {@code kmeans} of its coordinates; it takes over f's reservoir. */
    static ReservoirMember of(Features f, KMeansModel kmeans) {
        return new ReservoirMember(f.space, f.scaling, f.pca, kmeans);
    }

    /**
     * A member before its k-means: what a fit over several k shares. Holds the reservoir until a
     * member takes it over ({@link #of}); close the features that none takes.
     *
     * @param z    the training sequences' reduced coordinates [n, pca.components()]
     * @param seed the member's seed, which its k-means also draws from
     */
    record Features(ReservoirModelSpace space, Standardization scaling, Pca pca, float[] z, int n, long seed)
            implements AutoCloseable {
        /** The k-means of the training coordinates into k clusters, seeded by the member's seed. */
        KMeansModel cluster(KMeansSettings kmeansSettings, Device device, int k) {
            return new KMeans(kmeansSettings.params(k, seed)).fit(device.backend(), z, n, pca.components());
        }

        @Override
        public void close() {
            space.reservoir().close();
        }
    }

    /** The reduced coordinates [n, dimension()] of {@code data}: what this member's k-means clusters. */
    float[] embed(PaddedSequences data) {
        return pca.transform(scaling.apply(space.coordinates(data), data.n()), data.n());
    }

    int dimension() {
        return pca.components();
    }

    KMeansModel kmeans() {
        return kmeans;
    }

    /** Numbers it holds: the reservoir, the state axes, the standardisation, the PCA and the centroids. */
    long parameterCount() {
        return space.parameterCount() + scaling.parameterCount() + pca.parameterCount()
                + (long) kmeans.k() * pca.components();
    }

    /** Everything fitted, as host arrays (what the model file stores). */
    State state() {
        Reservoir network = space.reservoir();
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) weights.put(p.name(), p.get());
        int directions = network.spec().directions();
        double[][] means = new double[directions][];
        double[][] axes = new double[directions][];
        double[][] variances = new double[directions][];
        double[] totals = new double[directions];
        for (int d = 0; d < directions; d++) {
            means[d] = space.stateMean(d);
            axes[d] = space.stateAxes(d);
            variances[d] = space.stateVariances(d);
            totals[d] = space.stateTotalVariance(d);
        }
        return new State(network.inputs(), weights, means, axes, variances, totals, scaling.mean(), scaling.scale(),
                pca.mean(), pca.componentsRowMajor(), pca.explainedVariance(), pca.totalVariance(),
                kmeans.centroids().clone());
    }

    /**
     * A member as {@link #state} gave it, its reservoir on {@code device}: it computes what the
     * fitted member did, bit for bit.
     *
     * @throws IllegalArgumentException when the arrays do not fit the settings or one another
     */
    static ReservoirMember restore(State s, ReservoirSettings settings, Device device) {
        Reservoir network = Reservoir.withWeights(device.backend().tensorOps(), s.inputs(), settings.spec(), s.weights());
        try {
            ReservoirModelSpace space = ReservoirModelSpace.of(network, s.stateMeans(), s.stateAxes(),
                    s.stateVariances(), s.stateTotalVariances());
            Standardization scaling = Standardization.of(s.scalingMean(), s.scalingScale());
            Pca pca = Pca.of(s.pcaMean(), s.pcaComponents(), s.pcaVariance(), s.pcaTotalVariance());
            if (scaling.mean().length != space.dimension() || pca.inputDimension() != space.dimension()) {
                throw new IllegalArgumentException("the standardisation (" + scaling.mean().length + ") and PCA ("
                        + pca.inputDimension() + ") do not fit the model space's " + space.dimension() + " coordinates");
            }
            int d = pca.components();
            if (s.centroids().length == 0 || s.centroids().length % d != 0) {
                throw new IllegalArgumentException(s.centroids().length + " centroid values are not k × " + d);
            }
            KMeansModel km = new KMeansModel(s.centroids().length / d, d, s.centroids(), null, Double.NaN, 0, true,
                    List.of());
            return new ReservoirMember(space, scaling, pca, km);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    @Override
    public void close() {
        space.reservoir().close();
    }

    /**
     * A fitted member as host arrays.
     *
     * @param inputs              channels the reservoir reads
     * @param weights             the reservoir's weights by {@link Reservoir#parameters}' names, in their order
     * @param stateMeans          per direction, the mean of the states (units)
     * @param stateAxes           per direction, the principal axes of the states (components × units)
     * @param stateVariances      per direction, the variance along each axis
     * @param stateTotalVariances per direction, the states' total variance
     * @param scalingMean         the model-space coordinates' means
     * @param scalingScale        and scales
     * @param pcaMean             the standardised coordinates' mean
     * @param pcaComponents       the kept components (components × coordinates)
     * @param pcaVariance         the variance along each
     * @param pcaTotalVariance    the standardised coordinates' total variance
     * @param centroids           the k-means centroids of the reduced coordinates (k × components)
     */
    record State(int inputs, Map<String, float[]> weights, double[][] stateMeans, double[][] stateAxes,
                 double[][] stateVariances, double[] stateTotalVariances, double[] scalingMean, double[] scalingScale,
                 double[] pcaMean, double[] pcaComponents, double[] pcaVariance, double pcaTotalVariance,
                 float[] centroids) {
        /** Numbers it holds, as {@link ReservoirMember#parameterCount} counts them. */
        long parameterCount() {
            long n = 0;
            for (float[] w : weights.values()) n += w.length;
            for (int d = 0; d < stateMeans.length; d++) n += stateMeans[d].length + stateAxes[d].length;
            return n + scalingMean.length + scalingScale.length + pcaMean.length + pcaComponents.length + centroids.length;
        }

        /** Size of the reduced coordinates. */
        int dimension() {
            return pcaVariance.length;
        }
    }
}
