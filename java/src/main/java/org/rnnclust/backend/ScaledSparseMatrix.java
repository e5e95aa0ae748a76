package org.rnnclust.backend;

/**
 * A symmetric n × n matrix S·W·S in compressed rows: W's nonzeros, row by row, with their columns,
 * and the diagonal S as a vector. The normalised adjacency D^-1/2 A D^-1/2 of a graph is one (W
 * the weights, S the inverse square roots of the degrees); S = 1 gives W itself. Products with it
 * are defined as y_i = s_i · Σ_e (w_e · s_{c_e}) · x_{c_e}, the nonzeros of row i in their stored
 * order, every product and sum rounded on its own (no fused multiply-add): the same bits on every
 * backend that honours it.
 *
 * @param rowStart n + 1 offsets into {@code column} and {@code weight}, ascending from 0
 * @param column   each nonzero's column, in 0..n−1
 */
public record ScaledSparseMatrix(int n, int[] rowStart, int[] column, double[] weight, double[] scale) {
    public ScaledSparseMatrix {
        if (n < 1) throw new IllegalArgumentException("empty matrix: n=" + n);
        if (rowStart.length != n + 1 || scale.length != n) {
            throw new IllegalArgumentException(rowStart.length + " row offsets and " + scale.length
                    + " scale values for " + n + " rows");
        }
        if (rowStart[0] != 0 || rowStart[n] != column.length || column.length != weight.length) {
            throw new IllegalArgumentException("row offsets " + rowStart[0] + ".." + rowStart[n] + " for "
                    + column.length + " columns and " + weight.length + " weights");
        }
        for (int i = 0; i < n; i++) {
            if (rowStart[i + 1] < rowStart[i]) throw new IllegalArgumentException("row offsets descend at row " + i);
        }
        for (int c : column) if (c < 0 || c >= n) throw new IllegalArgumentException("column " + c + " outside 0.." + (n - 1));
    }

    public int nonzeros() {
        return column.length;
    }
}
