package org.rnnclust.metrics;

import java.util.Arrays;

/**
 * Counts of (true class, predicted cluster) pairs. Both labelings are relabelled to 0..R-1 and
 * 0..C-1 in increasing order of their original values, so any int values are accepted. Only the
 * non-zero cells are kept (row-major order), which keeps the table small when both labelings have
 * many distinct values; {@link #dense()} builds the full matrix on request.
 */
public final class ContingencyTable {
    private final int n;
    private final int rows;
    private final int cols;
    private final int[] rowSums;
    private final int[] colSums;
    private final int[] cellRow;
    private final int[] cellCol;
    private final int[] cellCount;

    private ContingencyTable(int n, int rows, int cols, int[] rowSums, int[] colSums,
                             int[] cellRow, int[] cellCol, int[] cellCount) {
        this.n = n;
        this.rows = rows;
        this.cols = cols;
        this.rowSums = rowSums;
        this.colSums = colSums;
        this.cellRow = cellRow;
        this.cellCol = cellCol;
        this.cellCount = cellCount;
    }

    public static ContingencyTable of(int[] labelsTrue, int[] labelsPred) {
        check(labelsTrue, labelsPred);
        int n = labelsTrue.length;
        int[] r = compact(labelsTrue);
        int[] c = compact(labelsPred);
        int rows = max(r) + 1;
        int cols = max(c) + 1;
        int[] rowSums = new int[rows];
        int[] colSums = new int[cols];
        for (int i = 0; i < n; i++) {
            rowSums[r[i]]++;
            colSums[c[i]]++;
        }

        // Cells as keys row * cols + col: counted in a dense array when that is small, sorted otherwise.
        long[] keys;
        int[] counts;
        long size = (long) rows * cols;
        if (size <= Math.max(1 << 22, n)) {
            int[] dense = new int[(int) size];
            for (int i = 0; i < n; i++) dense[r[i] * cols + c[i]]++;
            int nz = 0;
            for (int v : dense) if (v != 0) nz++;
            keys = new long[nz];
            counts = new int[nz];
            nz = 0;
            for (int k = 0; k < dense.length; k++) {
                if (dense[k] != 0) {
                    keys[nz] = k;
                    counts[nz++] = dense[k];
                }
            }
        } else {
            long[] all = new long[n];
            for (int i = 0; i < n; i++) all[i] = (long) r[i] * cols + c[i];
            Arrays.sort(all);
            int nz = 0;
            for (int i = 0; i < n; i++) if (i == 0 || all[i] != all[i - 1]) nz++;
            keys = new long[nz];
            counts = new int[nz];
            nz = -1;
            for (int i = 0; i < n; i++) {
                if (i == 0 || all[i] != all[i - 1]) keys[++nz] = all[i];
                counts[nz]++;
            }
        }
        int[] cellRow = new int[keys.length];
        int[] cellCol = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            cellRow[k] = (int) (keys[k] / cols);
            cellCol[k] = (int) (keys[k] % cols);
        }
        return new ContingencyTable(n, rows, cols, rowSums, colSums, cellRow, cellCol, counts);
    }

    /** Number of samples. */
    public int n() { return n; }

    /** Number of distinct true labels (classes). */
    public int rows() { return rows; }

    /** Number of distinct predicted labels (clusters). */
    public int cols() { return cols; }

    public int rowSum(int row) { return rowSums[row]; }

    public int colSum(int col) { return colSums[col]; }

    /** Number of non-zero cells. */
    public int cells() { return cellCount.length; }

    public int cellRow(int k) { return cellRow[k]; }

    public int cellCol(int k) { return cellCol[k]; }

    public int cellCount(int k) { return cellCount[k]; }

    /** The full rows x cols matrix of counts. */
    public int[][] dense() {
        int[][] m = new int[rows][cols];
        for (int k = 0; k < cellCount.length; k++) m[cellRow[k]][cellCol[k]] = cellCount[k];
        return m;
    }

    static void check(int[] labelsTrue, int[] labelsPred) {
        if (labelsTrue == null || labelsPred == null) throw new IllegalArgumentException("labels must not be null");
        if (labelsTrue.length != labelsPred.length) {
            throw new IllegalArgumentException(labelsTrue.length + " true labels but " + labelsPred.length
                    + " predicted labels");
        }
        if (labelsTrue.length == 0) throw new IllegalArgumentException("no labels: need at least one sample");
    }

    /** Maps the distinct values of labels, in increasing order, to 0..K-1. */
    static int[] compact(int[] labels) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int l : labels) {
            min = Math.min(min, l);
            max = Math.max(max, l);
        }
        int[] out = new int[labels.length];
        long range = (long) max - min + 1;
        if (range <= 2L * labels.length + 1024) {
            int[] code = new int[(int) range];
            for (int l : labels) code[l - min] = 1;
            int next = 0;
            for (int v = 0; v < code.length; v++) code[v] = code[v] != 0 ? next++ : -1;
            for (int i = 0; i < labels.length; i++) out[i] = code[labels[i] - min];
        } else {
            int[] distinct = labels.clone();
            Arrays.sort(distinct);
            int k = 0;
            for (int i = 0; i < distinct.length; i++) if (i == 0 || distinct[i] != distinct[k - 1]) distinct[k++] = distinct[i];
            for (int i = 0; i < labels.length; i++) out[i] = Arrays.binarySearch(distinct, 0, k, labels[i]);
        }
        return out;
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) m = Math.max(m, v);
        return m;
    }
}
