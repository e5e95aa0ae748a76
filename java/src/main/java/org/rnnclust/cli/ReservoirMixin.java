package org.rnnclust.cli;

import java.util.List;
import org.rnnclust.InputException;
import org.rnnclust.api.PcaSettings;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.api.ReservoirViews;
import picocli.CommandLine.Option;

/** The reservoir representation's flags of {@code train} (its default representation). */
final class ReservoirMixin {
    @Option(names = "--reservoir-units", paramLabel = "N", defaultValue = "" + ReservoirSettings.DEFAULT_UNITS,
            description = "Units per direction of each reservoir. Default: ${DEFAULT-VALUE}.")
    int units;

    @Option(names = "--reservoir-radius", paramLabel = "R", defaultValue = "" + ReservoirSettings.DEFAULT_SPECTRAL_RADIUS,
            description = "Spectral radius of the recurrent weights. Default: ${DEFAULT-VALUE}.")
    double spectralRadius;

    @Option(names = "--reservoir-input-scaling", paramLabel = "S",
            defaultValue = "" + ReservoirSettings.DEFAULT_INPUT_SCALING,
            description = "Input weights uniform in [-S, S]. Default: ${DEFAULT-VALUE}.")
    double inputScaling;

    @Option(names = "--reservoir-density", paramLabel = "D", defaultValue = "" + ReservoirSettings.DEFAULT_DENSITY,
            description = "Fraction of nonzero recurrent weights. Default: ${DEFAULT-VALUE}.")
    double density;

    @Option(names = "--reservoir-forward-only", description = "One reservoir direction (default: forward and backward).")
    boolean forwardOnly;

    @Option(names = "--reservoir-components", paramLabel = "C", defaultValue = "" + ReservoirSettings.DEFAULT_COMPONENTS,
            description = "Principal axes of the states per direction; a sequence is then C × (C + 1) numbers per "
                    + "direction. Default: ${DEFAULT-VALUE}.")
    int components;

    @Option(names = "--reservoir-ridge", paramLabel = "L", defaultValue = "" + ReservoirSettings.DEFAULT_RIDGE,
            description = "Ridge penalty of each sequence's state regression. Default: ${DEFAULT-VALUE}.")
    double ridge;

    /** {@link ReservoirSettings#defaults()}'s steps as the flag writes them (TrainReservoirCommandTest checks they agree). */
    static final String DEFAULT_STEPS = "32,64,128";

    @Option(names = "--reservoir-steps", paramLabel = "T", split = ",", defaultValue = DEFAULT_STEPS,
            description = "Resample so that the longest training sequence has at most T steps; 0 = every step. Several "
                    + "values, comma-separated (e.g. 32,64,128): the reservoirs read at them in turn, so the consensus "
                    + "sees each sequence at several resolutions. Default: ${DEFAULT-VALUE}.")
    List<Integer> steps;

    @Option(names = "--reservoir-differences", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Each reservoir also reads every channel's step-to-step change beside its values (the "
                    + "slopes); --no-reservoir-differences: the values alone. Default: ${DEFAULT-VALUE}.")
    boolean differences;

    /** The settings these flags give, with {@code members} reservoirs; a value out of range is one line naming its flag. */
    ReservoirSettings settings(int members) {
        positive("--reservoir-units", units);
        positive("--reservoir-radius", spectralRadius);
        positive("--reservoir-input-scaling", inputScaling);
        if (!(density > 0 && density <= 1)) throw new InputException("--reservoir-density must be in (0, 1], got " + density);
        positive("--reservoir-components", components);
        positive("--reservoir-ridge", ridge);
        if (steps.isEmpty()) throw new InputException("--reservoir-steps needs at least one value");
        for (int t : steps) {
            if (t < 0) throw new InputException("--reservoir-steps must be >= 0 (0: every step), got " + t);
        }
        // One value: every reservoir at those steps. Several: each member at its own, and maxSteps goes unused
        // (the defaults' value, so that the default flags give ReservoirSettings.defaults() exactly).
        int maxSteps = steps.size() == 1 ? steps.get(0) : ReservoirSettings.DEFAULT_MAX_STEPS;
        ReservoirViews views = new ReservoirViews(differences, steps.size() == 1 ? List.of() : steps, 0);
        return Flags.build(() -> new ReservoirSettings(units, spectralRadius, inputScaling, density, !forwardOnly,
                components, ridge, maxSteps, PcaSettings.defaults(), members, views));
    }

    private static void positive(String flag, double value) {
        if (!(value > 0) || !Double.isFinite(value)) throw new InputException(flag + " must be a finite number > 0, got " + value);
    }
}
