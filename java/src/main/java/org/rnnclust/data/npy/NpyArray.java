package org.rnnclust.data.npy;

import java.util.Arrays;

/**
 * A float32 array of any shape in C (row-major) order, as held in an {@code .npy} file. A 0-d
 * array has shape {@code []} and one value. The arrays are not copied.
 *
 * @throws IllegalArgumentException when the shape has a negative size or does not match the data length
 */
public record NpyArray(int[] shape, float[] data) {
    public NpyArray {
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            count = Math.min(count, 1L << 32) * d;  // saturates above any array length, stays exact below
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
    }

    /** A 1-d array of {@code values}. */
    public static NpyArray of(float... values) {
        return new NpyArray(new int[] {values.length}, values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray[shape " + Arrays.toString(shape) + "]";
    }
}
