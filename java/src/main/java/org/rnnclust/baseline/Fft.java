package org.rnnclust.baseline;

/**
 * A radix-2 complex FFT of one fixed power-of-two size, in double precision: what k-Shape's
 * cross-correlations over every lag need (O(L log L) instead of O(m²) per pair). Split real and
 * imaginary arrays, transformed in place; the inverse divides by the size, as numpy's ifft does.
 */
final class Fft {
    private final int size;
    private final double[] cos;
    private final double[] sin;
    private final int[] bitReversed;

    Fft(int size) {
        if (size < 1 || Integer.bitCount(size) != 1) throw new IllegalArgumentException("FFT size must be a power of two, got " + size);
        this.size = size;
        cos = new double[size / 2];
        sin = new double[size / 2];
        for (int i = 0; i < size / 2; i++) {
            double angle = -2 * Math.PI * i / size;
            cos[i] = Math.cos(angle);
            sin[i] = Math.sin(angle);
        }
        bitReversed = new int[size];
        int bits = Integer.numberOfTrailingZeros(size);
        for (int i = 0; i < size; i++) bitReversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }

    /** The least power of two that is at least {@code n}. */
    static int sizeFor(int n) {
        int size = 1;
        while (size < n) size *= 2;
        return size;
    }

    int size() { return size; }

    /** The forward transform of (re, im), in place: X[f] = Σ_t x[t] e^{−2πi f t / size}. */
    void forward(double[] re, double[] im) {
        transform(re, im, false);
    }

    /** The inverse transform, in place, divided by the size. */
    void inverse(double[] re, double[] im) {
        transform(re, im, true);
        for (int i = 0; i < size; i++) {
            re[i] /= size;
            im[i] /= size;
        }
    }

    private void transform(double[] re, double[] im, boolean inverse) {
        for (int i = 0; i < size; i++) {
            int j = bitReversed[i];
            if (j > i) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        double sign = inverse ? -1 : 1;
        for (int half = 1; half < size; half *= 2) {
            int stride = size / (2 * half);
            for (int start = 0; start < size; start += 2 * half) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * stride];
                    double wi = sign * sin[k * stride];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
