package org.rnnclust.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;

/**
 * The preprocessing of a whole table, fitted as one machine fits it on the same rows: per-channel
 * statistics (standardize, minmax) and the longest series (resampling without a length) take one
 * job, each partition fitting its rows a chunk at a time and the driver merging the partitions'
 * fittings in partition order ({@link Preprocessor.Fitting}: the same numbers whatever the tasks'
 * order). Per-series preprocessing (znorm, none) needs no job.
 */
public final class SparkPreprocessing {
    /** Rows a task fits at once: memory for one such chunk per task. */
    static final int CHUNK_ROWS = 4096;

    private SparkPreprocessing() {}

    /** Whether {@code options} need statistics of the whole table. */
    public static boolean needsPass(PreprocessOptions options) {
        return options.normalization() == Normalization.STANDARDIZE || options.normalization() == Normalization.MINMAX
                || options.length() == LengthPolicy.RESAMPLE && options.resampleLength() == 0;
    }

    /** {@code options} fitted on every row of {@code table} (each with {@code channels} channels). */
    public static Preprocessor fit(org.apache.spark.sql.Dataset<Row> table, SequenceColumns columns, int channels,
                                   PreprocessOptions options) {
        Preprocessor.Fitting all = new Preprocessor.Fitting(options, channels);
        if (!needsPass(options)) return all.fitted();
        List<Preprocessor.Fitting> parts = table.javaRDD().mapPartitions(it -> {
            Preprocessor.Fitting part = new Preprocessor.Fitting(options, channels);
            List<float[]> chunk = new ArrayList<>();
            while (it.hasNext()) {
                boolean interpolated = options.missing() != MissingValues.REFUSE;
                chunk.add(RowSequence.read(it.next(), columns, channels, interpolated));
                if (chunk.size() == CHUNK_ROWS || !it.hasNext()) {
                    part.add(Dataset.unlabelled("partition", chunk.toArray(new float[0][]), channels));
                    chunk.clear();
                }
            }
            return List.of(part).iterator();
        }).collect();  // in partition order
        for (Preprocessor.Fitting part : parts) all.merge(part);
        return all.fitted();
    }
}
