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
    private final SequenceReading reading;
    private final ReservoirModelSpace space;
    private final Standardization scaling;
    private final Pca pca;
    /** null without the raw view. */
    private final RawView raw;
    private final KMeansModel kmeans;

    private ReservoirMember(SequenceReading reading, ReservoirModelSpace space, Standardization scaling, Pca pca,
                            RawView raw, KMeansModel kmeans) {
        this.reading = reading;
        this.space = space;
        this.scaling = scaling;
        this.pca = pca;
        this.raw = raw;
        this.kmeans = kmeans;
    }

    /**
     * How a member reads sequences before its reservoir: resampled by the factor that takes
     * {@code referenceLength} (the training sequences' padded length) to {@code steps} (0: as given),
     * then, with {@code differences}, with each channel's first difference beside it.
     */
    record SequenceReading(int steps, int referenceLength, boolean differences) {
        /**
         * How member {@code m} of {@code settings} reads sequences when the training sequences are
         * {@code trainLength} steps long as it receives them (already resampled up front where the
         * members share one resolution, {@link ReservoirSettings#resamplesUpFront}).
         */
        static SequenceReading of(ReservoirSettings settings, int m, int trainLength) {
            ReservoirViews views = settings.views();
            int steps = views.memberSteps().isEmpty() ? 0 : settings.stepsOfMember(m);
            return new SequenceReading(steps, steps > 0 ? trainLength : 0, views.differences());
        }

        /** Channels the reservoir reads for sequences of {@code channels} channels. */
        int inputs(int channels) {
            return differences ? 2 * channels : channels;
        }

        PaddedSequences resampled(PaddedSequences data) {
            return steps > 0 ? data.resampledLike(referenceLength, steps) : data;
        }

        PaddedSequences reservoirInput(PaddedSequences resampled) {
            return differences ? resampled.withFirstDifferences() : resampled;
        }
    }

    /**
     * A fitted member without its k-means, the part that does not depend on k: a reservoir drawn
     * from {@code seed} (every weight then moved up by {@code perturbationUlps} ulps, the
     * sensitivity probe; 0: none), its model space, the standardisation and PCA of the model-space
     * coordinates, and the training sequences' reduced coordinates. Member {@code m} reads the
     * sequences as {@code settings.views()} ask for it (with none: as given).
     */
    static Features features(ReservoirSettings settings, int m, int perturbationUlps, Device device,
                             PaddedSequences train, long seed) {
        ReservoirViews views = settings.views();
        SequenceReading reading = SequenceReading.of(settings, m, train.maxLength());
        PaddedSequences resampled = reading.resampled(train);
        PaddedSequences input = reading.reservoirInput(resampled);
        Reservoir network = new Reservoir(device.backend().tensorOps(), input.channels(), settings.spec(), seed);
        try {
            network.moveUpByUlps(perturbationUlps);
            boolean deterministic = device.backend().deterministic();
            ReservoirModelSpace space = ReservoirModelSpace.fit(network, input, deterministic);
            float[] coordinates = space.coordinates(input);
            Standardization scaling = Standardization.fit(coordinates, train.n(), space.dimension());
            float[] scaled = scaling.apply(coordinates, train.n());
            Pca pca = Pca.fit(scaled, train.n(), space.dimension(), settings.pca().rule(), deterministic);
            float[] z = pca.transform(scaled, train.n());
            RawView raw = null;
            if (views.rawWeight() > 0) {
                raw = RawView.fit(resampled, pca, views.rawWeight(), settings.pca(), deterministic);
                z = raw.join(z, resampled);
            }
            return new Features(reading, space, scaling, pca, raw, z, train.n(), seed);
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
    }

    /** The member of {@code f} with the k-means {@code kmeans} of its coordinates; it takes over f's reservoir. */
    static ReservoirMember of(Features f, KMeansModel kmeans) {
        return new ReservoirMember(f.reading, f.space, f.scaling, f.pca, f.raw, kmeans);
    }

    /**
     * A member before its k-means: what a fit over several k shares. Holds the reservoir until a
     * member takes it over ({@link #of}); close the features that none takes.
     *
     * @param raw  the raw view (null: none)
     * @param z    the training sequences' reduced coordinates [n, dimension()]
     * @param seed the member's seed, which its k-means also draws from
     */
    record Features(SequenceReading reading, ReservoirModelSpace space, Standardization scaling, Pca pca, RawView raw,
                    float[] z, int n, long seed) implements AutoCloseable {
        /** The k-means of the training coordinates into k clusters, seeded by the member's seed. */
        KMeansModel cluster(KMeansSettings kmeansSettings, Device device, int k) {
            return new KMeans(kmeansSettings.params(k, seed)).fit(device.backend(), z, n, dimension());
        }

        /** Size of a row of {@link #z}. */
        int dimension() {
            return raw == null ? pca.components() : raw.dimension(pca);
        }

        @Override
        public void close() {
            space.reservoir().close();
        }
    }

    /** The reduced coordinates [n, dimension()] of {@code data}: what this member's k-means clusters. */
    float[] embed(PaddedSequences data) {
        PaddedSequences resampled = reading.resampled(data);
        PaddedSequences input = reading.reservoirInput(resampled);
        float[] z = pca.transform(scaling.apply(space.coordinates(input), data.n()), data.n());
        return raw == null ? z : raw.join(z, resampled);
    }

    int dimension() {
        return raw == null ? pca.components() : raw.dimension(pca);
    }

    KMeansModel kmeans() {
        return kmeans;
    }

    /** Numbers it holds: the reservoir, the state axes, the standardisation, the PCA and the centroids. */
    long parameterCount() {
        return space.parameterCount() + scaling.parameterCount() + pca.parameterCount()
                + (raw == null ? 0 : raw.parameterCount()) + (long) kmeans.k() * dimension();
    }

    /** Everything fitted, as host arrays (what the model file stores). */
    State state() {
        if (raw != null) throw new IllegalStateException("model files do not store the raw view (ReservoirViews#rawWeight)");
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
        return new State(reading, network.inputs(), weights, means, axes, variances, totals, scaling.mean(), scaling.scale(),
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
            return new ReservoirMember(s.reading(), space, scaling, pca, null, km);
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
     * @param reading             how the member reads sequences before its reservoir
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
    record State(SequenceReading reading, int inputs, Map<String, float[]> weights, double[][] stateMeans, double[][] stateAxes,
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
