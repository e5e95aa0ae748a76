package org.rnnclust.spark;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads the sequence column of one row into the engine's layout (steps × channels, time-major),
 * checking it as the file readers check a record: no nulls, the model's channels at every step, at
 * least one step, finite values (NaN only where the model fills missing values).
 *
 * <p>Rows come in Spark's two forms: external {@link Row}s (training, statistics) and the internal
 * rows that embedding reads without converting every value to a boxed object. Both are read by the
 * same checks through {@link Values}.
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
        Values steps = row.isNullAt(at) ? null : new ListValues(row.getList(at));
        return read(steps, channels, allowMissing, problem -> new BadRowException(columns.idOf(row), problem));
    }

    /**
     * The same for an internal row, whose sequence is at {@code ordinal} with the column's type {@code type}.
     *
     * @param id the row's id as messages print it (asked for only when the row is bad)
     */
    static float[] read(InternalRow row, int ordinal, ArrayType type, int channels, boolean allowMissing,
                        Function<InternalRow, String> id) {
        Values steps = row.isNullAt(ordinal) ? null : new DataValues(row.getArray(ordinal), type.elementType());
        return read(steps, channels, allowMissing, problem -> new BadRowException(id.apply(row), problem));
    }

    private static float[] read(Values steps, int channels, boolean allowMissing,
                                Function<String, BadRowException> bad) {
        if (steps == null) throw bad.apply("the sequence is null");
        int length = steps.size();
        if (length == 0) throw bad.apply("the sequence is empty");
        boolean nested = steps.isNull(0) ? channels > 1 : steps.inner(0) != null;
        float[] out;
        if (nested) {
            out = new float[length * channels];
            for (int t = 0; t < length; t++) {
                if (steps.isNull(t)) throw bad.apply("step " + (t + 1) + " is null");
                Values values = steps.inner(t);
                if (values == null) throw bad.apply("step " + (t + 1) + " is not an array");
                if (values.size() != channels) {
                    throw bad.apply("step " + (t + 1) + " has " + values.size() + " channels, the model reads " + channels);
                }
                for (int c = 0; c < channels; c++) out[t * channels + c] = value(values, c, t, c, bad);
            }
        } else {
            if (channels != 1) {
                throw bad.apply("a flat sequence has 1 channel, the model reads " + channels
                        + " (write array<array<float>>: steps of channels)");
            }
            out = new float[length];
            for (int t = 0; t < length; t++) out[t] = value(steps, t, t, 0, bad);
        }
        for (int i = 0; i < out.length; i++) {
            float v = out[i];
            if (Float.isInfinite(v) || (Float.isNaN(v) && !allowMissing)) {
                throw bad.apply((Float.isNaN(v) ? "missing value (NaN)" : "infinite value") + " at step "
                        + (i / channels + 1) + (channels > 1 ? ", channel " + (i % channels + 1) : "")
                        + (Float.isNaN(v) ? " (the model refuses missing values, as it was trained to)" : ""));
            }
        }
        return out;
    }

    private static float value(Values values, int i, int step, int channel, Function<String, BadRowException> bad) {
        if (values.isNull(i)) {
            throw bad.apply("null value at step " + (step + 1) + (channel > 0 ? ", channel " + (channel + 1) : ""));
        }
        return values.get(i);
    }

    /** An inner array as Spark hands it over (a Scala sequence), or null when {@code v} is not one. */
    static List<?> asList(Object v) {
        if (v instanceof scala.collection.Seq<?> seq) return scala.jdk.javaapi.CollectionConverters.asJava(seq);
        if (v instanceof List<?> list) return list;
        return null;
    }

    /** One array of a sequence column: the steps, or one step's channels. */
    private interface Values {
        int size();

        boolean isNull(int i);

        /** Element {@code i} (not null) as an array, or null when it is a number. */
        Values inner(int i);

        /** Element {@code i} (not null) as a number. */
        float get(int i);
    }

    /** An external row's array: a list of boxed numbers or of inner arrays. */
    private record ListValues(List<?> list) implements Values {
        @Override public int size() {
            return list.size();
        }

        @Override public boolean isNull(int i) {
            return list.get(i) == null;
        }

        @Override public Values inner(int i) {
            List<?> inner = asList(list.get(i));
            return inner == null ? null : new ListValues(inner);
        }

        @Override public float get(int i) {
            return ((Number) list.get(i)).floatValue();
        }
    }

    /** An internal row's array, read in place: {@code array<float|double>} or {@code array<array<...>>}. */
    private record DataValues(ArrayData data, DataType elementType) implements Values {
        @Override public int size() {
            return data.numElements();
        }

        @Override public boolean isNull(int i) {
            return data.isNullAt(i);
        }

        @Override public Values inner(int i) {
            return elementType instanceof ArrayType a ? new DataValues(data.getArray(i), a.elementType()) : null;
        }

        @Override public float get(int i) {
            return elementType == DataTypes.FloatType ? data.getFloat(i) : (float) data.getDouble(i);
        }
    }
}
