package org.rnnclust.data.read;

import java.util.Locale;
import org.rnnclust.InputException;

/**
 * How a three-dimensional .npy holds its sequences: {@code NTC} (N sequences × T steps × C channels,
 * rnnclust's and Keras's layout, the default) or {@code NCT} (N × C channels × T steps, aeon's,
 * sktime's and DL4J's). Two-dimensional arrays are (N, T) either way.
 */
public enum NpyLayout {
    NTC, NCT;

    /** "ntc" or "nct", any case. */
    public static NpyLayout parse(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "ntc" -> NTC;
            case "nct" -> NCT;
            default -> throw new InputException("an .npy layout is ntc ([N, T, C]) or nct ([N, C, T]), not '" + text + "'");
        };
    }

    /** The sequences, steps and channels of an array of {@code shape} ((N, T) or three dimensions). */
    int[] sequencesStepsChannels(int[] shape) {
        if (shape.length == 2) return new int[] {shape[0], shape[1], 1};
        return this == NTC ? new int[] {shape[0], shape[1], shape[2]} : new int[] {shape[0], shape[2], shape[1]};
    }

    /**
     * One sequence's values from the file, {@code count} of them at {@code from} in {@code src}, in
     * rnnclust's step-major order (step by step, the channels of each step together).
     */
    float[] sequence(float[] src, int from, int steps, int channels) {
        float[] out = new float[steps * channels];
        if (this == NTC || channels == 1) {
            System.arraycopy(src, from, out, 0, out.length);
        } else {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < steps; t++) out[t * channels + c] = src[from + c * steps + t];
            }
        }
        return out;
    }
}
