package org.rnnclust.baseline;

import java.util.SplittableRandom;

/**
 * Totally random trees (Geurts, Ernst and Wehenkel's extremely randomised trees with one candidate
 * feature, as in scikit-learn's {@code RandomTreesEmbedding}): each node splits on a random
 * non-constant feature at a threshold drawn uniformly between that feature's minimum and maximum
 * over the node's rows, until {@code maxDepth} or a single row. No labels and no impurity: the trees
 * only partition the space where the data are, and two rows that share many leaves are close.
 *
 * <p>Every leaf holds at least one training row (a threshold below the maximum leaves both sides
 * non-empty), so every row of any data lands in a leaf shared with some training row.
 */
public final class RandomTrees {
    private final int d;
    private final Tree[] trees;

    /** One tree in flat arrays; a leaf has feature −1 and its leaf number in {@code left}. */
    private record Tree(int[] feature, float[] threshold, int[] left, int[] right, int leaves) {
        int leafOf(float[] x, int offset) {
            int node = 0;
            while (feature[node] >= 0) {
                node = x[offset + feature[node]] <= threshold[node] ? left[node] : right[node];
            }
            return left[node];
        }
    }

    private RandomTrees(int d, Tree[] trees) {
        this.d = d;
        this.trees = trees;
    }

    /** Grows {@code count} trees on the n × d row-major {@code x}; the same seed grows the same trees. */
    public static RandomTrees fit(float[] x, int n, int d, int count, int maxDepth, long seed) {
        if (n < 1 || count < 1 || maxDepth < 1) throw new IllegalArgumentException("need rows, trees and depth >= 1");
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        SplittableRandom root = new SplittableRandom(seed);
        Tree[] trees = new Tree[count];
        for (int t = 0; t < count; t++) {
            trees[t] = new Builder(x, d, maxDepth, root.split()).build(n);
        }
        return new RandomTrees(d, trees);
    }

    public int trees() { return trees.length; }

    public int leaves(int tree) { return trees[tree].leaves(); }

    /** Leaf number of every row in every tree: n × trees(), row-major. */
    public int[] leavesOf(float[] x, int n) {
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        int[] out = new int[n * trees.length];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < trees.length; t++) out[i * trees.length + t] = trees[t].leafOf(x, i * d);
        }
        return out;
    }

    /** Stored numbers: a feature and a threshold per split node (leaves store nothing but their number). */
    public long parameterCount() {
        long splits = 0;
        for (Tree t : trees) splits += t.feature().length - t.leaves();
        return 2 * splits;
    }

    /** Grows one tree depth-first over a permutation of row indices. */
    private static final class Builder {
        private final float[] x;
        private final int d;
        private final int maxDepth;
        private final SplittableRandom random;
        private final IntList feature = new IntList();
        private final FloatList threshold = new FloatList();
        private final IntList left = new IntList();
        private final IntList right = new IntList();
        private int[] rows;
        private int leaves;

        Builder(float[] x, int d, int maxDepth, SplittableRandom random) {
            this.x = x;
            this.d = d;
            this.maxDepth = maxDepth;
            this.random = random;
        }

        Tree build(int n) {
            rows = new int[n];
            for (int i = 0; i < n; i++) rows[i] = i;
            grow(0, n, 0);
            return new Tree(feature.toArray(), threshold.toArray(), left.toArray(), right.toArray(), leaves);
        }

        private int grow(int lo, int hi, int depth) {
            int node = feature.size();
            feature.add(-1);
            threshold.add(0);
            left.add(0);
            right.add(0);
            if (depth < maxDepth && hi - lo > 1 && split(node, lo, hi)) {
                int mid = partition(lo, hi, feature.get(node), threshold.get(node));
                left.set(node, grow(lo, mid, depth + 1));
                right.set(node, grow(mid, hi, depth + 1));
            } else {
                left.set(node, leaves++);
            }
            return node;
        }

        /**
         * Draws features until one varies over the node's rows (at most d draws, as the node may be
         * constant in every feature) and sets a threshold in [min, max).
         */
        private boolean split(int node, int lo, int hi) {
            for (int attempt = 0; attempt < d; attempt++) {
                int f = random.nextInt(d);
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = lo; i < hi; i++) {
                    float v = x[rows[i] * d + f];
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
                if (!(max > min)) continue;
                float t = (float) (min + random.nextDouble() * ((double) max - min));
                if (t >= max) t = min;  // float rounding must not leave the right side empty
                feature.set(node, f);
                threshold.set(node, t);
                return true;
            }
            return false;
        }

        private int partition(int lo, int hi, int f, float t) {
            int i = lo;
            int j = hi - 1;
            while (i <= j) {
                if (x[rows[i] * d + f] <= t) {
                    i++;
                } else {
                    int tmp = rows[i];
                    rows[i] = rows[j];
                    rows[j--] = tmp;
                }
            }
            return i;
        }
    }

    private static final class IntList {
        private int[] a = new int[16];
        private int size;

        void add(int v) {
            if (size == a.length) a = java.util.Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        int get(int i) { return a[i]; }

        void set(int i, int v) { a[i] = v; }

        int size() { return size; }

        int[] toArray() { return java.util.Arrays.copyOf(a, size); }
    }

    private static final class FloatList {
        private float[] a = new float[16];
        private int size;

        void add(float v) {
            if (size == a.length) a = java.util.Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        float get(int i) { return a[i]; }

        void set(int i, float v) { a[i] = v; }

        float[] toArray() { return java.util.Arrays.copyOf(a, size); }
    }
}
