package org.rnnclust.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.rnnclust.backend.CheckedKrylovSpace;
import org.rnnclust.backend.ScaledSparseMatrix;

/**
 * The block Krylov solver's vectors on the heap, one double[] each, with the loops in parallel over
 * rows or vectors; every sum is taken in one fixed order (along the vector, or over the basis in
 * its order), so the thread count never changes a bit. Full reorthogonalisation costs n·s² for a
 * basis of s: a few seconds at the sizes spectral clustering uses (s ≤ a few hundred, n ≤ tens of
 * thousands).
 */
final class CpuKrylovSpace extends CheckedKrylovSpace {
    private final int[] start;
    private final int[] column;
    private final double[] weight;
    private final double[] scale;
    private final List<double[]> q = new ArrayList<>();   // orthonormal basis
    private final List<double[]> aq = new ArrayList<>();  // A times each of them
    private List<double[]> next = List.of();               // candidates
    private double[] vectors;                              // the last Ritz vectors, n × count

    CpuKrylovSpace(ScaledSparseMatrix a) {
        super(a);
        this.start = a.rowStart();
        this.column = a.column();
        this.weight = a.weight();
        this.scale = a.scale();
    }

    @Override
    protected void setCandidatesImpl(double[] v, int count) {
        List<double[]> c = new ArrayList<>(count);
        for (int b = 0; b < count; b++) c.add(java.util.Arrays.copyOfRange(v, b * n, (b + 1) * n));
        next = c;
    }

    @Override
    protected void candidatesFromProductsImpl(int from, int to) {
        // copies: orthonormalise works in place, and aq must keep A times each basis vector
        next = aq.subList(from, to).stream().map(double[]::clone).toList();
    }

    @Override
    protected boolean appendCandidateImpl(int c, double minRemaining) {
        double[] v = next.get(c);
        if (!orthonormalise(v, minRemaining)) return false;
        q.add(v);
        return true;
    }

    /** Makes {@code v} orthonormal to the basis (classical Gram–Schmidt, twice); false when little of it is left. */
    private boolean orthonormalise(double[] v, double minRemaining) {
        double first = norm(v);
        if (first == 0) return false;
        for (int pass = 0; pass < 2; pass++) {
            double[] coef = IntStream.range(0, q.size()).parallel().mapToDouble(j -> dot(q.get(j), v)).toArray();
            for (int j = 0; j < coef.length; j++) {
                double[] qj = q.get(j);
                double cj = coef[j];
                for (int i = 0; i < v.length; i++) v[i] -= cj * qj[i];
            }
        }
        double left = norm(v);
        if (left <= minRemaining * first) return false;
        for (int i = 0; i < v.length; i++) v[i] /= left;
        return true;
    }

    @Override
    protected void multiplyImpl(int from) {
        if (from > aq.size()) throw new IllegalStateException("products end at " + aq.size() + ", not " + from);
        while (aq.size() > from) aq.remove(aq.size() - 1);
        for (int j = from; j < size; j++) {
            double[] av = new double[n];
            product(q.get(j), av);
            aq.add(av);
        }
    }

    /** y = S·W·S x (ScaledSparseMatrix's order of operations). */
    void product(double[] x, double[] y) {
        IntStream.range(0, n).parallel().forEach(i -> {
            double s = 0;
            for (int e = start[i]; e < start[i + 1]; e++) s += weight[e] * scale[column[e]] * x[column[e]];
            y[i] = scale[i] * s;
        });
    }

    @Override
    protected double[] projectionImpl(int from) {
        if (aq.size() != size) throw new IllegalStateException("products of " + aq.size() + " of " + size + " basis vectors");
        int[] offset = new int[size - from + 1];
        for (int j = from; j < size; j++) offset[j - from + 1] = offset[j - from] + j + 1;
        double[] h = new double[offset[size - from]];
        IntStream.range(from, size).parallel().forEach(j -> {
            for (int i = 0; i <= j; i++) {
                h[offset[j - from] + i] = 0.5 * (dot(q.get(i), aq.get(j)) + dot(q.get(j), aq.get(i)));
            }
        });
        return h;
    }

    @Override
    protected double[] residualsImpl(double[] w, double[] theta, int count) {
        if (aq.size() != size) throw new IllegalStateException("products of " + aq.size() + " of " + size + " basis vectors");
        int s = size;
        double[] out = new double[n * count];
        double[] residuals = new double[count];
        IntStream.range(0, count).parallel().forEach(c -> {
            double[] u = new double[n];
            double[] au = new double[n];
            for (int j = 0; j < s; j++) {
                double wj = w[j * count + c];
                double[] qj = q.get(j);
                double[] aqj = aq.get(j);
                for (int i = 0; i < n; i++) {
                    u[i] += wj * qj[i];
                    au[i] += wj * aqj[i];
                }
            }
            double r = 0;
            int largest = 0;
            for (int i = 0; i < n; i++) {
                double e = au[i] - theta[c] * u[i];
                r += e * e;
                if (Math.abs(u[i]) > Math.abs(u[largest])) largest = i;
            }
            residuals[c] = Math.sqrt(r);
            double sign = u[largest] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) out[i * count + c] = sign * u[i];
        });
        vectors = out;
        return residuals;
    }

    @Override
    protected double[] ritzVectorsImpl(int count) {
        return vectors.clone();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    @Override
    public void close() {
        q.clear();
        aq.clear();
        next = List.of();
        vectors = null;
    }
}
