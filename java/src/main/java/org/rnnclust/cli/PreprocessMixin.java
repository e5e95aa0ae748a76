package org.rnnclust.cli;

import org.rnnclust.InputException;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import picocli.CommandLine.Option;

/** Preprocessing flags shared by every command that reads data. */
final class PreprocessMixin {
    @Option(names = "--normalize", paramLabel = "HOW", defaultValue = "znorm",
            description = "znorm (each series, UCR convention), standardize (each channel, fitted on --data), "
                    + "minmax (each channel to [0,1], fitted on --data), none. Default: ${DEFAULT-VALUE}.")
    Normalization normalization;

    @Option(names = "--clip-mad", paramLabel = "K", defaultValue = "0",
            description = "Clip outliers to median ± K·MAD (MAD scaled to σ) per series and channel; 0 = off. "
                    + "Default: ${DEFAULT-VALUE}.")
    double clipMad;

    @Option(names = "--missing", paramLabel = "HOW", defaultValue = "refuse",
            description = "Missing values: refuse (stop, naming the record) or interpolate (linear). "
                    + "Default: ${DEFAULT-VALUE}.")
    MissingValues missing;

    @Option(names = "--length", paramLabel = "HOW", defaultValue = "pad",
            description = "Variable lengths: pad (zeros + mask) or resample (linear, to --resample-length). "
                    + "Default: ${DEFAULT-VALUE}.")
    LengthPolicy length;

    @Option(names = "--resample-length", paramLabel = "T", defaultValue = "0",
            description = "Steps after resampling; 0 = the longest training sequence. Default: ${DEFAULT-VALUE}.")
    int resampleLength;

    PreprocessOptions options() {
        try {
            return new PreprocessOptions(normalization, clipMad, missing, length, resampleLength);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }
}
