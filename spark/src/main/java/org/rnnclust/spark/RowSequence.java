package org.rnnclust.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Reads the sequence column of one row into the engine's layout (steps × channels, time-major),
 * checking it as the file readers check a record: no nulls, the model's channels at every step, at
 * least one step, finite values (NaN only where the model fills missing values).
 */
final class RowSequence {
    private RowSequence() {}

    /**
     * @param channels     the channels the model reads
     * @param allowMissing whether NaN may pass (the model's preprocessing interpolates it)
     * @throws BadRowException naming the row's id and the problem
     */
    static float[] read(Row row, SequenceColumns columns, int channels, boolean allowMissing) {
        int at = row.fieldIndex(columns.sequence());
        if (row.isNullAt(at)) throw bad(row, columns, "the sequence is null");
        List<Object> steps = row.getList(at);
        if (steps.isEmpty()) throw bad(row, columns, "the sequence is empty");
        float[] out;
        if (asList(steps.get(0)) != null || steps.get(0) == null && channels > 1) {
            out = new float[steps.size() * channels];
            for (int t = 0; t < steps.size(); t++) {
                Object step = steps.get(t);
                if (step == null) throw bad(row, columns, "step " + (t + 1) + " is null");
                List<?> values = asList(step);
                if (values == null) throw bad(row, columns, "step " + (t + 1) + " is not an array");
                if (values.size() != channels) {
                    throw bad(row, columns, "step " + (t + 1) + " has " + values.size() + " channels, the model reads "
                            + channels);
                }
                for (int c = 0; c < channels; c++) out[t * channels + c] = value(row, columns, values.get(c), t, c);
            }
        } else {
            if (channels != 1) {
                throw bad(row, columns, "a flat sequence has 1 channel, the model reads " + channels
                        + " (write array<array<float>>: steps of channels)");
            }
            out = new float[steps.size()];
            for (int t = 0; t < out.length; t++) out[t] = value(row, columns, steps.get(t), t, 0);
        }
        for (int i = 0; i < out.length; i++) {
            float v = out[i];
            if (Float.isInfinite(v) || (Float.isNaN(v) && !allowMissing)) {
                throw bad(row, columns, (Float.isNaN(v) ? "missing value (NaN)" : "infinite value") + " at step "
                        + (i / channels + 1) + (channels > 1 ? ", channel " + (i % channels + 1) : "")
                        + (Float.isNaN(v) ? " (the model refuses missing values, as it was trained to)" : ""));
            }
        }
        return out;
    }

    /** An inner array as Spark hands it over (a Scala sequence), or null when {@code v} is not one. */
    static List<?> asList(Object v) {
        if (v instanceof scala.collection.Seq<?> seq) return scala.jdk.javaapi.CollectionConverters.asJava(seq);
        if (v instanceof List<?> list) return list;
        return null;
    }

    private static float value(Row row, SequenceColumns columns, Object v, int step, int channel) {
        if (v == null) {
            throw bad(row, columns, "null value at step " + (step + 1) + (channel > 0 ? ", channel " + (channel + 1) : ""));
        }
        return ((Number) v).floatValue();
    }

    private static BadRowException bad(Row row, SequenceColumns columns, String problem) {
        return new BadRowException(columns.idOf(row), problem);
    }
}
