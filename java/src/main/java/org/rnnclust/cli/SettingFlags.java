package org.rnnclust.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.Setting;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The flags that change each {@link Setting}: the library words its errors without flags, and the
 * command line adds the flags of the command that ran (evaluate has no --lr, so it names none).
 */
final class SettingFlags {
    private static final Map<Setting, String> FLAGS = new EnumMap<>(Map.ofEntries(
            Map.entry(Setting.CELL, "--cell"),
            Map.entry(Setting.BIDIRECTIONAL, "--bidirectional"),
            Map.entry(Setting.HIDDEN, "--hidden"),
            Map.entry(Setting.LAYERS, "--layers"),
            Map.entry(Setting.DILATIONS, "--dilations"),
            Map.entry(Setting.LATENT, "--latent"),
            Map.entry(Setting.CLUSTERS, "--k"),
            Map.entry(Setting.CLUSTER_INIT, "--cluster-init"),
            Map.entry(Setting.KMEANS_RESTARTS, "--n-init"),
            Map.entry(Setting.KMEANS_MAX_ITERATIONS, "--max-iter"),
            Map.entry(Setting.KMEANS_TOLERANCE, "--tol"),
            Map.entry(Setting.KMEANS_BATCH_SIZE, "--batch-size"),
            Map.entry(Setting.KMEANS_SEEDING, "--seeding"),
            Map.entry(Setting.KSHAPE_RESTARTS, "--n-init"),
            Map.entry(Setting.KSHAPE_MAX_ITERATIONS, "--max-iter"),
            Map.entry(Setting.DTW_WINDOW, "--window"),
            Map.entry(Setting.DTW_KMEANS_RESTARTS, "--n-init"),
            Map.entry(Setting.DTW_KMEANS_MAX_ITERATIONS, "--max-iter"),
            Map.entry(Setting.DBA_ITERATIONS, "--dba-iter"),
            Map.entry(Setting.DEVICE, "--device"),
            Map.entry(Setting.THREADS, "--threads"),
            Map.entry(Setting.MAX_DEVICE_MEMORY, "--max-device-memory"),
            Map.entry(Setting.DETERMINISTIC, "--deterministic"),
            Map.entry(Setting.BATCH_SIZE, "--batch"),
            Map.entry(Setting.EPOCHS, "--epochs"),
            Map.entry(Setting.LEARNING_RATE, "--lr"),
            Map.entry(Setting.CLIP_NORM, "--clip"),
            Map.entry(Setting.DP_MAX_GRAD_NORM, "--dp-max-grad-norm"),
            Map.entry(Setting.DP_NOISE_MULTIPLIER, "--dp-noise-multiplier"),
            Map.entry(Setting.DP_DELTA, "--dp-delta"),
            Map.entry(Setting.DP_TARGET_EPSILON, "--dp-target-epsilon"),
            Map.entry(Setting.OBJECTIVE, "--objective"),
            Map.entry(Setting.REAL_FAKE, "--real-fake"),
            Map.entry(Setting.REFINE, "--refine"),
            Map.entry(Setting.REFINE_LEARNING_RATE, "--refine-lr"),
            Map.entry(Setting.SPECTRAL_MAX_ROWS, "--spectral-max-rows"),
            Map.entry(Setting.MISSING_VALUES, "--missing"),
            Map.entry(Setting.NORMALIZATION, "--normalize"),
            Map.entry(Setting.OUTLIER_CLIP, "--clip-mad"),
            Map.entry(Setting.LENGTH_POLICY, "--length"),
            Map.entry(Setting.RESAMPLE_LENGTH, "--resample-length"),
            Map.entry(Setting.METHODS, "--methods"),
            Map.entry(Setting.SEEDS, "--seeds"),
            Map.entry(Setting.MEMBERS, "--members"),
            Map.entry(Setting.BENCH_SHAPES, "--rnn"),
            Map.entry(Setting.BENCH_KMEANS_SHAPES, "--kmeans"),
            Map.entry(Setting.BENCH_REPEAT, "--repeat"),
            Map.entry(Setting.BENCH_WARMUP, "--warmup"),
            Map.entry(Setting.BENCH_POINTS, "--kmeans-data")));

    private SettingFlags() {}

    /** The flag of {@code setting}, whatever the command. */
    static String flag(Setting setting) {
        String flag = FLAGS.get(setting);
        if (flag == null) throw new IllegalStateException("no flag for setting " + setting);
        return flag;
    }

    /** " (flag: --lr)" or " (flags: --lr, --clip)" for the settings that {@code command} has a flag for; else "". */
    static String hint(List<Setting> settings, CommandSpec command) {
        List<String> flags = new ArrayList<>();
        for (Setting s : settings) {
            String flag = flag(s);
            if (command.findOption(flag) != null && !flags.contains(flag)) flags.add(flag);
        }
        if (flags.isEmpty()) return "";
        return (flags.size() == 1 ? " (flag: " : " (flags: ") + String.join(", ", flags) + ")";
    }
}
