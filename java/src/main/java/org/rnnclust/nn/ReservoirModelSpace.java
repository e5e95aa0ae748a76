package org.rnnclust.nn;

import org.rnnclust.data.PaddedSequences;
import org.rnnclust.linalg.Cholesky;
import org.rnnclust.linalg.LinearAlgebra;
import org.rnnclust.linalg.PrincipalAxes;

/**
 * The reservoir model space (Bianchi, Scardapane, Løkse and Jenssen, "Reservoir computing approaches
 * for representation and classification of multivariate time series", IEEE TNNLS 2021): a sequence
 * is represented by the linear model that predicts its own reservoir dynamics.
 *
 * <p>Per direction of the {@link Reservoir}: the states are projected on their leading principal
 * axes (fitted once, on the training sequences' valid steps); then for each sequence a ridge
 * regression predicts the next projected state, in the direction's reading order, from the current
 * one and a constant. The (components + 1) × components coefficients, row-major with the constant's
 * row last, are the sequence's coordinates; the directions' follow one another. Two sequences whose
 * states evolve alike get close coordinates whatever their lengths or phases, which is what a
 * clustering of shapes needs and what a reservoir's final state alone does not give.
 *
 * <p>The sign of each axis is fixed (its largest-magnitude component positive), so the coordinates
 * depend only on the data and the reservoir.
 */
public final class ReservoirModelSpace {
    /** At most this many states fit the principal axes (an even stride over the valid steps beyond). */
    static final int MAX_STATE_ROWS = 50_000;
    /** Sequences run through the reservoir at a time, at most. */
    private static final int BATCH = 256;
    /** States held on the host per batch, at most (64 MiB): long series run in smaller batches. */
    private static final long MAX_BATCH_STATES = 1L << 24;

    private final Reservoir reservoir;
    private final int components;
    private final PrincipalAxes[] axes;
    private final double[] signs;  // [direction][component]

    private ReservoirModelSpace(Reservoir reservoir, int components, PrincipalAxes[] axes, double[] signs) {
        this.reservoir = reservoir;
        this.components = components;
        this.axes = axes;
        this.signs = signs;
    }

    /**
     * Fits the principal axes of {@code reservoir}'s states over {@code train}'s valid steps, with
     * LAPACK or, {@code deterministic}, the fixed-order eigensolver whose bits do not depend on the machine.
     *
     * @throws IllegalArgumentException when the training sequences have fewer than 2 valid steps in all
     */
    public static ReservoirModelSpace fit(Reservoir reservoir, PaddedSequences train, boolean deterministic) {
        ReservoirSpec spec = reservoir.spec();
        int units = spec.units();
        int dirs = spec.directions();
        long valid = 0;
        for (int l : train.lengths()) valid += Math.max(1, l);
        if (valid < 2) throw new IllegalArgumentException("the reservoir's state axes need at least 2 valid steps");
        long stride = (valid + MAX_STATE_ROWS - 1) / MAX_STATE_ROWS;
        int rows = Math.toIntExact((valid + stride - 1) / stride);
        float[][] sample = new float[dirs][Math.multiplyExact(rows, units)];
        int steps = train.maxLength();
        int width = units * dirs;
        long seen = 0;
        int taken = 0;
        int batch = batchRows(reservoir, steps);
        for (int from = 0; from < train.n(); from += batch) {
            int count = Math.min(batch, train.n() - from);
            float[] h = reservoir.states(train, from, count);
            for (int i = 0; i < count; i++) {
                int length = Math.max(1, train.lengths()[from + i]);
                for (int t = 0; t < length; t++, seen++) {
                    if (seen % stride != 0) continue;
                    long at = ((long) i * steps + t) * width;
                    for (int d = 0; d < dirs; d++) {
                        System.arraycopy(h, Math.toIntExact(at + (long) d * units), sample[d], taken * units, units);
                    }
                    taken++;
                }
            }
        }
        int keep = Math.min(spec.components(), Math.min(units, rows - 1));
        PrincipalAxes[] fitted = new PrincipalAxes[dirs];
        double[] signs = new double[dirs * keep];
        for (int d = 0; d < dirs; d++) {
            int kept = keep;
            fitted[d] = PrincipalAxes.fit(sample[d], rows, units, ratios -> Math.min(kept, ratios.length),
                    LinearAlgebra.of(deterministic));
            for (int c = 0; c < keep; c++) signs[d * keep + c] = largestComponentSign(fitted[d].axis(c));
        }
        return new ReservoirModelSpace(reservoir, keep, fitted, signs);
    }

    /**
     * The model space of {@code reservoir} with principal axes fitted before (a saved model's): per
     * direction, the states' mean (units), the axes (components × units, row-major), the variance
     * along each and the total variance, as {@link #stateMean}, {@link #stateAxes},
     * {@link #stateVariances} and {@link #stateTotalVariance} gave them.
     *
     * @throws IllegalArgumentException when the axes do not fit the reservoir
     */
    public static ReservoirModelSpace of(Reservoir reservoir, double[][] means, double[][] axes, double[][] variances,
                                         double[] totalVariances) {
        ReservoirSpec spec = reservoir.spec();
        int dirs = spec.directions();
        if (means.length != dirs || axes.length != dirs || variances.length != dirs || totalVariances.length != dirs) {
            throw new IllegalArgumentException("the reservoir has " + dirs + " directions, the axes " + means.length);
        }
        PrincipalAxes[] fitted = new PrincipalAxes[dirs];
        int keep = variances[0].length;
        double[] signs = new double[dirs * keep];
        for (int d = 0; d < dirs; d++) {
            fitted[d] = PrincipalAxes.of(means[d], axes[d], variances[d], totalVariances[d]);
            if (fitted[d].inputDimension() != spec.units() || fitted[d].count() != keep || keep > spec.components()) {
                throw new IllegalArgumentException("direction " + d + ": " + fitted[d].count() + " axes of "
                        + fitted[d].inputDimension() + " units do not fit a reservoir of " + spec.units() + " units and "
                        + spec.components() + " components");
            }
            for (int c = 0; c < keep; c++) signs[d * keep + c] = largestComponentSign(fitted[d].axis(c));
        }
        return new ReservoirModelSpace(reservoir, keep, fitted, signs);
    }

    /** The mean of direction {@code d}'s training states (units; a copy). */
    public double[] stateMean(int d) {
        return axes[d].mean();
    }

    /** The principal axes of direction {@code d}'s states, components() × units, row-major, before the sign convention (a copy). */
    public double[] stateAxes(int d) {
        return axes[d].axes();
    }

    /** The variance of direction {@code d}'s training states along each axis (a copy). */
    public double[] stateVariances(int d) {
        return axes[d].variances();
    }

    /** The total variance of direction {@code d}'s training states. */
    public double stateTotalVariance(int d) {
        return axes[d].totalVariance();
    }

    /** The reservoir it reads sequences with. */
    public Reservoir reservoir() {
        return reservoir;
    }

    /** Sequences per batch: at most BATCH, and at most MAX_BATCH_STATES states of {@code steps} steps. */
    private static int batchRows(Reservoir reservoir, int steps) {
        long perSequence = (long) steps * reservoir.spec().units() * reservoir.spec().directions();
        return (int) Math.max(1, Math.min(BATCH, MAX_BATCH_STATES / perSequence));
    }

    private static double largestComponentSign(double[] axis) {
        int arg = 0;
        for (int j = 1; j < axis.length; j++) if (Math.abs(axis[j]) > Math.abs(axis[arg])) arg = j;
        return axis[arg] < 0 ? -1 : 1;
    }

    /** Principal axes kept per direction (the spec's, or fewer when the states have fewer). */
    public int components() {
        return components;
    }

    /** Coordinates of one sequence. */
    public int dimension() {
        return reservoir.spec().modelSpaceDimension(components);
    }

    /** Numbers the representation holds: the reservoir, and per direction a mean and the axes. */
    public long parameterCount() {
        return reservoir.parameterCount() + (long) axes.length * (components + 1) * reservoir.spec().units();
    }

    /** The coordinates of every sequence of {@code data}: [n, dimension()], row-major. */
    public float[] coordinates(PaddedSequences data) {
        ReservoirSpec spec = reservoir.spec();
        int units = spec.units();
        int dirs = spec.directions();
        int steps = data.maxLength();
        int dim = dimension();
        int perDirection = components * (components + 1);
        float[] out = new float[Math.multiplyExact(data.n(), dim)];
        float[] direction = new float[Math.multiplyExact(steps, units)];
        int batch = batchRows(reservoir, steps);
        for (int from = 0; from < data.n(); from += batch) {
            int count = Math.min(batch, data.n() - from);
            float[] h = reservoir.states(data, from, count);
            for (int i = 0; i < count; i++) {
                int length = Math.max(1, data.lengths()[from + i]);
                for (int d = 0; d < dirs; d++) {
                    for (int t = 0; t < length; t++) {
                        System.arraycopy(h, Math.toIntExact((((long) i * steps + t) * dirs + d) * units), direction,
                                t * units, units);
                    }
                    float[] z = axes[d].project(java.util.Arrays.copyOf(direction, length * units), length);
                    double[] w = regressNext(z, length, d, spec.ridge());
                    int base = (from + i) * dim + d * perDirection;
                    for (int j = 0; j < perDirection; j++) out[base + j] = (float) w[j];
                }
            }
        }
        return out;
    }

    /**
     * The ridge regression of z[s + 1] on (z[s], 1) over the sequence's steps in reading order
     * (time order forward, reversed for the reverse direction): (AᵀA + λI)⁻¹ AᵀY, (C + 1) × C.
     */
    private double[] regressNext(float[] z, int length, int direction, double ridge) {
        int c = components;
        int p = c + 1;
        double[] gram = new double[p * p];
        double[] cross = new double[p * c];
        double[] a = new double[p];
        a[c] = 1;
        for (int s = 0; s + 1 < length; s++) {
            int cur = direction == 0 ? s : length - 1 - s;
            int next = direction == 0 ? s + 1 : length - 2 - s;
            for (int j = 0; j < c; j++) a[j] = signs[direction * c + j] * z[cur * c + j];
            for (int r = 0; r < p; r++) {
                for (int q = 0; q < p; q++) gram[r * p + q] += a[r] * a[q];
                for (int q = 0; q < c; q++) cross[r * c + q] += a[r] * signs[direction * c + q] * z[next * c + q];
            }
        }
        for (int r = 0; r < p; r++) gram[r * p + r] += ridge;
        Cholesky.solveInPlace(gram, p, cross, c);
        return cross;
    }
}
