package org.rnnclust.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/**
 * Sequence tables from the engine's datasets ({@code convert}): the files are read by the same
 * readers as every single-machine command, then written in {@link SequenceColumns}' layout.
 */
public final class SequenceTables {
    private SequenceTables() {}

    /**
     * The rows of {@code data}: id = the sequence's position (0-based), its values, and its class
     * name when it has labels.
     *
     * @param refuseMissing fail on a NaN (naming the row) instead of writing it
     */
    public static org.apache.spark.sql.Dataset<Row> of(SparkSession spark, Dataset data, SequenceColumns columns,
                                                        boolean refuseMissing, int partitions) {
        int c = data.channels();
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            float[] s = data.series(i);
            if (refuseMissing) {
                for (int j = 0; j < s.length; j++) {
                    if (Float.isNaN(s[j])) {
                        throw new InputException(data.name() + ": sequence " + i + " has a missing value (NaN) at step "
                                + (j / c + 1) + " (--missing keep writes it as NaN)");
                    }
                }
            }
            Object seq = SequenceColumns.toColumn(s, c);
            rows.add(data.hasLabels()
                    ? RowFactory.create((long) i, seq, data.labelNames().get(data.labels()[i]))
                    : RowFactory.create((long) i, seq));
        }
        // parallelize keeps the file's order: partition p holds a contiguous range of ids.
        var rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, Math.max(1, partitions));
        return spark.createDataFrame(rdd, columns.convertedSchema(c, data.hasLabels()));
    }
}
