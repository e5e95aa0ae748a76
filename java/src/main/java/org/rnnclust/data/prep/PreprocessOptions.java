package org.rnnclust.data.prep;

import org.rnnclust.InputException;
import org.rnnclust.Setting;

/**
 * The preprocessing a user chooses. Defaults: z-normalise each series, no outlier clipping, refuse
 * missing values, pad variable lengths.
 *
 * @param clipMad         clip values to median ± clipMad·MAD within each channel of each series,
 *                        MAD scaled by 1.4826 so that it estimates σ for Gaussian noise; 0 = off
 * @param resampleLength  steps after resampling, at most {@link #MAX_RESAMPLE_LENGTH}; 0 = the longest
 *                        sequence of the fitted data
 */
public record PreprocessOptions(Normalization normalization, double clipMad, MissingValues missing,
                                LengthPolicy length, int resampleLength) implements java.io.Serializable {
    /**
     * The longest resample length, for the options and for a model file: preprocessing allocates
     * sequences × this many values, so an absurd (mistyped, tampered or corrupted) number is refused
     * instead of exhausting memory.
     */
    public static final int MAX_RESAMPLE_LENGTH = 1 << 24;

    public PreprocessOptions {
        if (!(clipMad >= 0) || Double.isInfinite(clipMad)) {
            throw new IllegalArgumentException("outlier clip k must be a finite number >= 0, got " + clipMad);
        }
        if (resampleLength < 0) throw new IllegalArgumentException("resample length must be >= 0");
        if (resampleLength > MAX_RESAMPLE_LENGTH) {
            throw new InputException("resampling to " + resampleLength + " steps: at most " + MAX_RESAMPLE_LENGTH
                    + " steps (2^24) per sequence", Setting.RESAMPLE_LENGTH);
        }
    }

    public static PreprocessOptions defaults() {
        return new PreprocessOptions(Normalization.ZNORM, 0, MissingValues.REFUSE, LengthPolicy.PAD, 0);
    }

    public PreprocessOptions withNormalization(Normalization n) {
        return new PreprocessOptions(n, clipMad, missing, length, resampleLength);
    }

    public PreprocessOptions withClipMad(double k) {
        return new PreprocessOptions(normalization, k, missing, length, resampleLength);
    }

    public PreprocessOptions withMissing(MissingValues m) {
        return new PreprocessOptions(normalization, clipMad, m, length, resampleLength);
    }

    public PreprocessOptions withResample(int steps) {
        return new PreprocessOptions(normalization, clipMad, missing, LengthPolicy.RESAMPLE, steps);
    }
}
