package org.rnnclust.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The table layout rnnclust reads and writes on Spark: one row per sequence, with
 * <ul>
 *   <li>an id column (any type; bad rows are named by it),</li>
 *   <li>a sequence column: {@code array<float>} for one channel, or {@code array<array<float>>}
 *       for several, the outer array over time steps and each inner array the step's channels
 *       (doubles are read too),</li>
 *   <li>an optional label column (the class name, a string).</li>
 * </ul>
 * Outputs add {@code cluster} (int) and {@code embedding} ({@code array<float>}).
 */
public record SequenceColumns(String id, String sequence, String label) implements java.io.Serializable {
    public static final String CLUSTER = "cluster";
    public static final String EMBEDDING = "embedding";

    /** id, sequence and label. */
    public static SequenceColumns defaults() {
        return new SequenceColumns("id", "sequence", "label");
    }

    /** The schema {@code convert} writes: id as a long (the row's position in the file). */
    public StructType convertedSchema(int channels, boolean labelled) {
        DataType seq = channels == 1 ? DataTypes.createArrayType(DataTypes.FloatType, false)
                : DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(id, DataTypes.LongType, false));
        fields.add(DataTypes.createStructField(sequence, seq, false));
        if (labelled) fields.add(DataTypes.createStructField(label, DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    /**
     * The channels of the sequence column's type: 1 for {@code array<number>}, 0 for
     * {@code array<array<number>>} (known only from the rows).
     *
     * @throws org.rnnclust.InputException when the column is missing or of another type
     */
    int declaredChannels(StructType schema) {
        StructField f = field(schema, sequence);
        if (f.dataType() instanceof ArrayType outer) {
            if (isNumber(outer.elementType())) return 1;
            if (outer.elementType() instanceof ArrayType inner && isNumber(inner.elementType())) return 0;
        }
        throw new org.rnnclust.InputException("column '" + sequence + "' is " + f.dataType().simpleString()
                + "; a sequence column is array<float> (one channel) or array<array<float>> (steps of channels)");
    }

    static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
        throw new org.rnnclust.InputException("no column '" + name + "' (columns: "
                + String.join(", ", schema.fieldNames()) + ")");
    }

    boolean hasLabel(StructType schema) {
        for (String n : schema.fieldNames()) if (n.equals(label)) return true;
        return false;
    }

    private static boolean isNumber(DataType t) {
        return t == DataTypes.FloatType || t == DataTypes.DoubleType;
    }

    /**
     * A sequence as the rows of {@code convert} hold it: one channel flat, several as steps of
     * channels (Java arrays: Spark's row encoder takes them at any depth, lists only at the top).
     */
    static Object toColumn(float[] series, int channels) {
        if (channels == 1) return boxed(series, 0, series.length);
        int steps = series.length / channels;
        Float[][] out = new Float[steps][];
        for (int t = 0; t < steps; t++) out[t] = boxed(series, t * channels, channels);
        return out;
    }

    static Float[] boxed(float[] v, int from, int n) {
        Float[] out = new Float[n];
        for (int i = 0; i < n; i++) out[i] = v[from + i];
        return out;
    }

    /** The id of a row as messages print it. */
    String idOf(Row row) {
        int at = row.fieldIndex(id);
        return row.isNullAt(at) ? "null" : String.valueOf(row.get(at));
    }
}
