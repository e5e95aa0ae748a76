package org.rnnclust.train;

import java.util.Arrays;
import org.apache.commons.math3.special.Erf;

/**
 * The privacy spent by differentially private SGD with Poisson sampling, by Rényi differential
 * privacy (Mironov, "Rényi Differential Privacy", CSF 2017). One step of DP-SGD is the sampled
 * Gaussian mechanism: each sequence enters the batch with probability q, the clipped gradients'
 * sum gets Gaussian noise of σ times the clipping norm. Its RDP at order α is
 * log(A_α) / (α − 1), with A_α as Mironov, Talwar and Zhang give it ("Rényi Differential Privacy of
 * the Sampled Gaussian Mechanism", 2019, Section 3.3): a binomial sum for integer α, two series
 * with the Gaussian tail for fractional α. RDP adds up over steps, and the accountant reports the
 * smallest ε over its orders at a given δ by the conversion of the CSF paper,
 * ε = RDP(α) + log(1/δ) / (α − 1) — the accountant that TensorFlow Privacy's tutorials report with,
 * on the same orders, so that their published figures can be checked.
 *
 * <p>Everything is in log space: A_α reaches far beyond a double's range at large orders.
 */
public final class RdpAccountant {
    /** 1.1 to 10.9 by 0.1, then 12 to 63: the orders TensorFlow Privacy's tutorials use. */
    public static final double[] DEFAULT_ORDERS = defaultOrders();

    /** Stops a fractional order's series once its terms are below e^−30 of one. */
    private static final double NEGLIGIBLE = -30;

    private final double[] orders;
    /** The RDP spent so far at each order. */
    private final double[] spent;
    private double cachedQ = Double.NaN;
    private double cachedSigma = Double.NaN;
    private double[] cachedStep;

    /** An accountant over {@link #DEFAULT_ORDERS}, nothing spent. */
    public RdpAccountant() {
        this(DEFAULT_ORDERS, new double[DEFAULT_ORDERS.length]);
    }

    /**
     * An accountant over {@code orders} (each > 1) that has spent {@code spent} at them (a
     * checkpoint's state: {@link #spent()}).
     */
    public RdpAccountant(double[] orders, double[] spent) {
        if (orders.length == 0 || orders.length != spent.length) {
            throw new IllegalArgumentException(orders.length + " orders, " + spent.length + " spent values");
        }
        for (int i = 0; i < orders.length; i++) {
            if (!(orders[i] > 1) || Double.isInfinite(orders[i])) throw new IllegalArgumentException("order " + orders[i] + " is not > 1");
            if (!(spent[i] >= 0)) throw new IllegalArgumentException("spent RDP " + spent[i] + " is not >= 0");
        }
        this.orders = orders.clone();
        this.spent = spent.clone();
    }

    /**
     * Accounts for {@code steps} steps of the sampled Gaussian mechanism with sampling rate
     * {@code q} and noise multiplier {@code sigma}.
     */
    public void step(double q, double sigma, long steps) {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        double[] one = perStep(q, sigma);
        for (int i = 0; i < orders.length; i++) spent[i] += steps * one[i];
    }

    /**
     * The ε at {@code delta} once {@code steps} more steps of rate {@code q} and noise
     * {@code sigma} are accounted; this accountant is left as it is.
     */
    public double epsilonAfter(double q, double sigma, long steps, double delta) {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        double[] one = perStep(q, sigma);
        double[] then = new double[orders.length];
        for (int i = 0; i < orders.length; i++) then[i] = spent[i] + steps * one[i];
        return epsilonAt(then, bestOrder(then, delta), delta);
    }

    /**
     * The smallest noise multiplier (to 0.1 %) at which {@code steps} steps of rate {@code q} spend
     * at most {@code epsilon} at {@code delta}, from nothing spent: how Opacus's
     * {@code make_private_with_epsilon} chooses σ.
     *
     * @throws IllegalArgumentException when even σ = 10⁴ spends more
     */
    public static double noiseMultiplier(double q, long steps, double delta, double epsilon) {
        if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        RdpAccountant none = new RdpAccountant();
        double lo = 0.01;
        double hi = 1;
        while (none.epsilonAfter(q, hi, steps, delta) > epsilon) {
            lo = hi;
            hi *= 2;
            if (hi > 1e4) {
                throw new IllegalArgumentException("no noise multiplier up to 10^4 keeps " + steps + " steps at rate " + q
                        + " within epsilon " + epsilon + " at delta " + delta);
            }
        }
        while (hi / lo > 1.001) {
            double mid = Math.sqrt(lo * hi);
            if (none.epsilonAfter(q, mid, steps, delta) > epsilon) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** One step's RDP at each order for (q, σ); the last pair's is kept, since training repeats it. */
    private double[] perStep(double q, double sigma) {
        if (q != cachedQ || sigma != cachedSigma || cachedStep == null) {
            double[] one = new double[orders.length];
            for (int i = 0; i < orders.length; i++) one[i] = rdp(q, sigma, orders[i]);
            cachedQ = q;
            cachedSigma = sigma;
            cachedStep = one;
        }
        return cachedStep;
    }

    /** The smallest ε at {@code delta} over the orders for the steps accounted so far. */
    public double epsilon(double delta) {
        return epsilonAt(spent, bestOrder(spent, delta), delta);
    }

    /** The order at which {@link #epsilon} is reached. */
    public double order(double delta) {
        return orders[bestOrder(spent, delta)];
    }

    /** The index of the order at which {@code rdp} (one value per order) gives the smallest ε. */
    private int bestOrder(double[] rdp, double delta) {
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        int best = 0;
        for (int i = 1; i < orders.length; i++) if (epsilonAt(rdp, i, delta) < epsilonAt(rdp, best, delta)) best = i;
        return best;
    }

    private double epsilonAt(double[] rdp, int i, double delta) {
        return rdp[i] + Math.log(1 / delta) / (orders[i] - 1);
    }

    /** The orders, in their order. */
    public double[] orders() {
        return orders.clone();
    }

    /** The RDP spent at each order: the state a checkpoint keeps. */
    public double[] spent() {
        return spent.clone();
    }

    /**
     * The RDP at order {@code alpha} of one step of the sampled Gaussian mechanism (sampling rate q,
     * noise multiplier σ; sensitivity 1).
     */
    public static double rdp(double q, double sigma, double alpha) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("sampling rate must be in [0, 1], got " + q);
        if (!(sigma > 0)) throw new IllegalArgumentException("noise multiplier must be > 0, got " + sigma);
        if (!(alpha > 1)) throw new IllegalArgumentException("order must be > 1, got " + alpha);
        if (q == 0 || Double.isInfinite(sigma)) return 0;
        if (q == 1) return alpha / (2 * sigma * sigma);  // the Gaussian mechanism itself
        double logA = alpha == Math.rint(alpha) && alpha < Integer.MAX_VALUE ? logAInteger(q, sigma, (int) alpha)
                : logAFractional(q, sigma, alpha);
        return logA / (alpha - 1);
    }

    /** log A_α for an integer α: log Σ_k C(α, k) (1 − q)^(α−k) q^k exp((k² − k) / 2σ²). */
    static double logAInteger(double q, double sigma, int alpha) {
        double logA = Double.NEGATIVE_INFINITY;
        double logBinomial = 0;  // log C(α, 0)
        for (int k = 0; k <= alpha; k++) {
            if (k > 0) logBinomial += Math.log((double) (alpha - k + 1) / k);
            double term = logBinomial + k * Math.log(q) + (alpha - k) * Math.log1p(-q)
                    + (k * (double) k - k) / (2 * sigma * sigma);
            logA = logAdd(logA, term);
        }
        return logA;
    }

    /**
     * log A_α for a fractional α: A_α = A₀ + A₁ (the paper's Section 3.3), each a series over
     * i ≥ 0 with the generalised binomial coefficient C(α, i), whose sign alternates once i > α,
     * and a Gaussian tail ½·erfc(·) that splits the integral at z₀ = σ² log(1/q − 1) + ½.
     */
    static double logAFractional(double q, double sigma, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logBinomial = 0;  // log |C(α, i)|
        boolean positive = true;  // the sign of C(α, i)
        for (int i = 0; ; i++) {
            if (i > 0) {
                double factor = (alpha - i + 1) / i;
                if (factor < 0) positive = !positive;
                logBinomial += Math.log(Math.abs(factor));
            }
            double j = alpha - i;
            double logT0 = logBinomial + i * Math.log(q) + j * Math.log1p(-q);
            double logT1 = logBinomial + j * Math.log(q) + i * Math.log1p(-q);
            double logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.sqrt(2) * sigma));
            double logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
            double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (positive) {
                logA0 = logAdd(logA0, logS0);
                logA1 = logAdd(logA1, logS1);
            } else {
                logA0 = logSubtract(logA0, logS0);
                logA1 = logSubtract(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < NEGLIGIBLE && i > alpha) break;
            if (i > 100_000) throw new IllegalStateException("the RDP series at order " + alpha + " did not converge");
        }
        return logAdd(logA0, logA1);
    }

    /**
     * log erfc(x), accurate where erfc underflows: beyond x = 25 by the asymptotic series
     * erfc(x) ≈ e^(−x²) / (x√π) · (1 − 1/(2x²) + 3/(4x⁴) − 15/(8x⁶)), whose next term is below 1e-13
     * there.
     */
    static double logErfc(double x) {
        if (x < 25) return Math.log(Erf.erfc(x));
        double x2 = x * x;
        double series = 1 - 1 / (2 * x2) + 3 / (4 * x2 * x2) - 15 / (8 * x2 * x2 * x2);
        return -x2 - Math.log(x) - 0.5 * Math.log(Math.PI) + Math.log(series);
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double hi = Math.max(a, b);
        return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
    }

    /** log(e^a − e^b) for a ≥ b; a term of the alternating tail larger than the sum so far means a bug. */
    private static double logSubtract(double a, double b) {
        if (b == Double.NEGATIVE_INFINITY) return a;
        if (b > a) throw new IllegalStateException("the RDP series' alternating tail exceeds its sum");
        if (b == a) return Double.NEGATIVE_INFINITY;
        return a + Math.log1p(-Math.exp(b - a));
    }

    private static double[] defaultOrders() {
        double[] o = new double[99 + 52];
        for (int x = 1; x < 100; x++) o[x - 1] = 1 + x / 10.0;
        for (int a = 12; a < 64; a++) o[99 + a - 12] = a;
        return o;
    }

    @Override
    public String toString() {
        return "RdpAccountant" + Arrays.toString(orders);
    }
}
