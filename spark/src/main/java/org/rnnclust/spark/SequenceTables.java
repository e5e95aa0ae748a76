package org.rnnclust.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.NpyRows;

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
            Object seq = column(data, i, refuseMissing);
            rows.add(data.hasLabels()
                    ? RowFactory.create((long) i, seq, data.labelNames().get(data.labels()[i]))
                    : RowFactory.create((long) i, seq));
        }
        // parallelize keeps the file's order: partition p holds a contiguous range of ids.
        var rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, Math.max(1, partitions));
        return spark.createDataFrame(rdd, columns.convertedSchema(c, data.hasLabels()));
    }

    /** Sequence i of {@code data} as the sequence column holds it; with {@code refuseMissing}, a NaN fails naming it. */
    private static Object column(Dataset data, int i, boolean refuseMissing) {
        float[] s = data.series(i);
        int c = data.channels();
        if (refuseMissing) {
            for (int j = 0; j < s.length; j++) {
                if (Float.isNaN(s[j])) {
                    throw new InputException(data.name() + ": sequence " + (data.recordNumber(i) - 1)
                            + " has a missing value (NaN) at step " + (j / c + 1) + " (--missing keep writes it as NaN)");
                }
            }
        }
        return SequenceColumns.toColumn(s, c);
    }

    /**
     * The rows of an uncompressed, C-order {@code .npy} of shape (N, T) or (N, T, C), as {@link #of}
     * gives them, but each partition reads its own range of rows from the file ({@link NpyRows}), a
     * chunk at a time: the driver reads only the header, so the file may be larger than its heap.
     * The executors must see the file at the same path (local mode, or a shared file system).
     *
     * @return null when the file cannot be read that way (gzip, Fortran order, a pipe): read it whole
     */
    public static org.apache.spark.sql.Dataset<Row> ofNpy(SparkSession spark, java.nio.file.Path file,
                                                           SequenceColumns columns, boolean refuseMissing, int partitions) {
        int n;
        int c;
        try (NpyRows rows = NpyRows.openIfSeekable(file)) {
            if (rows == null) return null;
            n = rows.count();
            c = rows.channels();
        }
        int parts = Math.max(1, Math.min(partitions, n));
        List<Integer> indices = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) indices.add(p);
        String path = file.toString();
        var rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(indices, parts)
                .flatMap(p -> {
                    int from = (int) ((long) n * p / parts);
                    int to = (int) ((long) n * (p + 1) / parts);
                    NpyRows rows = NpyRows.openIfSeekable(java.nio.file.Path.of(path));
                    return new java.util.Iterator<Row>() {
                        private Dataset chunk;
                        private int at = from;
                        private int next;

                        @Override
                        public boolean hasNext() {
                            boolean more = at < to || chunk != null && next < chunk.size();
                            if (!more) rows.close();
                            return more;
                        }

                        @Override
                        public Row next() {
                            if (chunk == null || next == chunk.size()) {
                                chunk = rows.readRange(at, Math.min(CHUNK_ROWS, to - at));
                                at += chunk.size();
                                next = 0;
                            }
                            int i = next++;
                            return RowFactory.create(chunk.recordNumber(i) - 1, column(chunk, i, refuseMissing));
                        }
                    };
                });
        return spark.createDataFrame(rdd, columns.convertedSchema(c, false));
    }

    /** Rows a partition of {@link #ofNpy} reads at once. */
    private static final int CHUNK_ROWS = 4096;
}
