package org.rnnclust.data.npy;

/**
 * Fortran order (first index fastest) against C order (last index fastest). A 0-d or 1-d array is
 * the same in both orders.
 */
final class FortranOrder {
    private FortranOrder() {}

    /** Receives one element's place in each order. */
    @FunctionalInterface
    interface Move {
        void move(int cIndex, int fortranPosition);
    }

    /** Calls {@code move} for every element of an array of {@code shape}, in C order. */
    static void forEach(int[] shape, int count, Move move) {
        int rank = shape.length;
        long[] stride = new long[Math.max(1, rank)];  // Fortran strides, in elements
        stride[0] = 1;
        for (int k = 1; k < rank; k++) stride[k] = stride[k - 1] * shape[k - 1];
        int[] index = new int[rank];
        long position = 0;
        for (int i = 0; i < count; i++) {
            move.move(i, (int) position);
            for (int k = rank - 1; k >= 0; k--) {  // odometer over the C index
                position += stride[k];
                if (++index[k] < shape[k]) break;
                position -= stride[k] * shape[k];
                index[k] = 0;
            }
        }
    }

    static float[] toC(float[] f, int[] shape) {
        if (shape.length < 2) return f;
        float[] c = new float[f.length];
        forEach(shape, c.length, (i, p) -> c[i] = f[p]);
        return c;
    }

    static double[] toC(double[] f, int[] shape) {
        if (shape.length < 2) return f;
        double[] c = new double[f.length];
        forEach(shape, c.length, (i, p) -> c[i] = f[p]);
        return c;
    }
}
