package org.rnnclust.metrics;

import java.util.Arrays;

/**
 * Minimum-cost assignment for a rectangular cost matrix (Kuhn–Munkres with shortest augmenting
 * paths and dual potentials, O(r^2 c) for r <= c). Every row is matched to a distinct column when
 * rows <= columns; otherwise every column gets a distinct row and the remaining rows stay unmatched.
 */
public final class Hungarian {
    private Hungarian() {}

    /**
     * The one-to-one matching of rows to columns with the largest total count (the matching of
     * clusters to classes that ACC scores and reports colour by).
     *
     * @return for each row its column, or -1 when the row is left unmatched (only if rows > cols)
     */
    public static int[] maximize(int[][] counts) {
        double[][] cost = new double[counts.length][];
        for (int r = 0; r < counts.length; r++) {
            cost[r] = new double[counts[r].length];
            for (int c = 0; c < cost[r].length; c++) cost[r][c] = -counts[r][c];
        }
        return solve(cost);
    }

    /**
     * @param cost rows x cols matrix of finite values (all rows the same length)
     * @return for each row its column, or -1 when the row is left unmatched (only if rows > cols)
     */
    public static int[] solve(double[][] cost) {
        int rows = cost.length;
        int cols = rows == 0 ? 0 : cost[0].length;
        for (double[] row : cost) {
            if (row.length != cols) throw new IllegalArgumentException("cost matrix is not rectangular");
            for (double v : row) if (!Double.isFinite(v)) throw new IllegalArgumentException("cost must be finite, got " + v);
        }
        int[] result = new int[rows];
        Arrays.fill(result, -1);
        if (rows == 0 || cols == 0) return result;
        if (rows <= cols) return assignRows(cost, rows, cols, false);

        int[] colToRow = assignRows(cost, cols, rows, true);
        for (int c = 0; c < cols; c++) result[colToRow[c]] = c;
        return result;
    }

    /**
     * Matches each of n "left" items to one of m >= n "right" items. With transposed set, left
     * items are the columns of cost. Arrays over the right side use index 0 as a virtual node.
     */
    private static int[] assignRows(double[][] cost, int n, int m, boolean transposed) {
        double[] potLeft = new double[n + 1];
        double[] potRight = new double[m + 1];
        int[] owner = new int[m + 1];      // left item (1-based) matched to right j, 0 if none
        int[] prev = new int[m + 1];       // previous right node on the shortest path tree
        double[] dist = new double[m + 1];
        boolean[] done = new boolean[m + 1];

        for (int i = 1; i <= n; i++) {
            owner[0] = i;
            int j0 = 0;
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            Arrays.fill(done, false);
            // Dijkstra on reduced costs from the free left item i until a free right item is reached.
            do {
                done[j0] = true;
                int i0 = owner[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 1; j <= m; j++) {
                    if (done[j]) continue;
                    double c = transposed ? cost[j - 1][i0 - 1] : cost[i0 - 1][j - 1];
                    double reduced = c - potLeft[i0] - potRight[j];
                    if (reduced < dist[j]) {
                        dist[j] = reduced;
                        prev[j] = j0;
                    }
                    if (dist[j] < delta) {
                        delta = dist[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (done[j]) {
                        potLeft[owner[j]] += delta;
                        potRight[j] -= delta;
                    } else {
                        dist[j] -= delta;
                    }
                }
                j0 = j1;
            } while (owner[j0] != 0);
            // Flip the matching along the augmenting path.
            do {
                int j1 = prev[j0];
                owner[j0] = owner[j1];
                j0 = j1;
            } while (j0 != 0);
        }

        int[] match = new int[n];
        for (int j = 1; j <= m; j++) if (owner[j] != 0) match[owner[j] - 1] = j - 1;
        return match;
    }
}
