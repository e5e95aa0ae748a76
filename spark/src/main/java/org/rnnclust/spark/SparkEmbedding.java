package org.rnnclust.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import org.rnnclust.InputException;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.ModelKeys;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.prep.MissingValues;

/**
 * Embeds (and assigns) a table of sequences with a trained model, partition by partition: the
 * library entry point that {@code embed} and {@code cluster} call. The model file is broadcast once;
 * each task reads its rows {@code chunkRows} at a time, embeds each chunk on its device (see
 * {@link ExecutorBackends}) and writes rows of id, [cluster], embedding and, when the input has
 * one, label. Each row's numbers are the ones single-process {@code embed}/{@code cluster} give it.
 */
public final class SparkEmbedding {
    /** Bad rows skipped by the last {@link #apply} with {@link OnBadRow#SKIP}, once its output was computed. */
    public record Skipped(LongAccumulator count, CollectionAccumulator<String> first) implements java.io.Serializable {
        public long rows() {
            return count.value();
        }

        /** The first few problems, one line each. */
        public List<String> examples() {
            List<String> all = new ArrayList<>(first.value());
            return all.subList(0, Math.min(all.size(), Options.EXAMPLES));
        }
    }

    /**
     * @param assign    add the cluster of each row
     * @param chunkRows rows embedded together by a task (bounds its memory)
     * @param device    auto (the task's GPU, else the CPU), cpu, cuda or cuda:N
     * @param onBadRow  fail the job on a bad row, or skip and count it
     * @param deterministic the engine's deterministic mode on the CPU: each row's numbers then do not
     *                  depend on which rows share its chunk (in the default mode OpenBLAS's blocking
     *                  of a product can change its last bits), and equal single-process ones bit for bit
     */
    public record Options(SequenceColumns columns, boolean assign, int chunkRows, String device, OnBadRow onBadRow,
                          boolean deterministic) implements java.io.Serializable {
        static final int EXAMPLES = 5;

        public Options {
            if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
        }

        public static Options embedding() {
            return new Options(SequenceColumns.defaults(), false, 4096, "auto", OnBadRow.FAIL, false);
        }

        public Options withAssign(boolean on) {
            return new Options(columns, on, chunkRows, device, onBadRow, deterministic);
        }

        public Options withChunkRows(int rows) {
            return new Options(columns, assign, rows, device, onBadRow, deterministic);
        }

        public Options withOnBadRow(OnBadRow policy) {
            return new Options(columns, assign, chunkRows, device, policy, deterministic);
        }

        public Options withDeterministic(boolean on) {
            return new Options(columns, assign, chunkRows, device, onBadRow, on);
        }

        public Options withDevice(String name) {
            return new Options(columns, assign, chunkRows, name, onBadRow, deterministic);
        }
    }

    /** The output of {@link #apply}: a lazily computed table, and the skipped rows' counters. */
    public record Result(org.apache.spark.sql.Dataset<Row> rows, Skipped skipped) {}

    private SparkEmbedding() {}

    /** Reads a model file on the driver, checks it, and applies it as {@link #apply(SparkSession, org.apache.spark.sql.Dataset, byte[], Options)}. */
    public static Result apply(SparkSession spark, org.apache.spark.sql.Dataset<Row> input, Path modelFile,
                               Options options) {
        return apply(spark, input, modelFile, options, ModelKeys.NONE);
    }

    /**
     * The same; with a verification key in {@code keys}, the model must be signed by it. The bytes
     * verified are the bytes broadcast (read once), so the file cannot change between the two.
     */
    public static Result apply(SparkSession spark, org.apache.spark.sql.Dataset<Row> input, Path modelFile,
                               Options options, ModelKeys keys) {
        // Loading validates the file (and a folder's output set): a damaged one never reaches the executors.
        ClusteringModel.load(modelFile).close();
        Path file = Files.isDirectory(modelFile) ? modelFile.resolve(ClusteringModel.FILE) : modelFile;
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (keys.verifier() != null) verify(bytes, file, keys);
            return apply(spark, input, bytes, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks the signature of the model bytes read from {@code file}; a refusal names {@code file}. */
    private static void verify(byte[] bytes, Path file, ModelKeys keys) throws IOException {
        Path staged = Files.createTempFile("rnnclust-verify-", ".rnnclust");
        try {
            Files.write(staged, bytes);
            ClusteringModel.load(staged, keys).close();
        } catch (InputException e) {
            throw new InputException(e.getMessage().replace(staged.toString(), file.toString()));
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** Applies the model whose file bytes are {@code model} to every row of {@code input}. */
    public static Result apply(SparkSession spark, org.apache.spark.sql.Dataset<Row> input, byte[] model,
                               Options options) {
        StructType in = input.schema();
        SequenceColumns columns = options.columns();
        columns.declaredChannels(in);
        boolean labelled = columns.hasLabel(in);
        List<StructField> out = new ArrayList<>();
        out.add(SequenceColumns.field(in, columns.id()));
        if (options.assign()) out.add(DataTypes.createStructField(SequenceColumns.CLUSTER, DataTypes.IntegerType, false));
        out.add(DataTypes.createStructField(SequenceColumns.EMBEDDING,
                DataTypes.createArrayType(DataTypes.FloatType, false), false));
        if (labelled) out.add(SequenceColumns.field(in, columns.label()));
        StructType schema = DataTypes.createStructType(out);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> broadcast = jsc.broadcast(model);
        Skipped skipped = new Skipped(spark.sparkContext().longAccumulator("rnnclust bad rows"),
                spark.sparkContext().collectionAccumulator("rnnclust bad row examples"));
        Partition body = new Partition(broadcast, options, Layout.of(in, columns), skipped);
        // Spark's internal rows in and out: the public Row path converts every value of every
        // sequence to a boxed object and back, which cost several times the model's own work on
        // short series (bench/RESULTS.md, "How the costs grow with rows").
        RDD<InternalRow> rows = input.queryExecution().toRdd().toJavaRDD().mapPartitions(body).rdd();
        return new Result(((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows, schema, false),
                skipped);
    }

    /** Where a task finds the id, the sequence and the label in an input row. */
    private record Layout(int id, DataType idType, int sequence, ArrayType sequenceType, int label, DataType labelType)
            implements java.io.Serializable {
        static Layout of(StructType in, SequenceColumns columns) {
            int id = in.fieldIndex(columns.id());
            int sequence = in.fieldIndex(columns.sequence());
            int label = columns.hasLabel(in) ? in.fieldIndex(columns.label()) : -1;
            return new Layout(id, in.fields()[id].dataType(), sequence, (ArrayType) in.fields()[sequence].dataType(),
                    label, label < 0 ? null : in.fields()[label].dataType());
        }

        /** The row's id as messages print it. */
        String idOf(InternalRow row) {
            return row.isNullAt(id) ? "null" : String.valueOf(CatalystTypeConverters.convertToScala(row.get(id, idType), idType));
        }
    }

    /** A value of an input row that outlives the row: the reader reuses a row's memory for the next one. */
    private static Object detached(Object value) {
        if (value instanceof UTF8String s) return s.copy();
        if (value instanceof ArrayData a) return a.copy();
        if (value instanceof InternalRow r) return r.copy();
        if (value instanceof MapData m) return m.copy();
        return value;
    }

    /** One task's work. */
    private static final class Partition implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> model;
        private final Options options;
        private final Layout layout;
        private final Skipped skipped;

        Partition(Broadcast<byte[]> model, Options options, Layout layout, Skipped skipped) {
            this.model = model;
            this.options = options;
            this.layout = layout;
            this.skipped = skipped;
        }

        @Override
        public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
            ClusteringModel loaded = ExecutorBackends.model(model.id(), model.value());
            TaskContext task = TaskContext.get();
            String deviceName = ExecutorBackends.deviceFor(options.device(), task);
            int threads = task == null ? 1 : Math.max(1, task.cpus());
            boolean allowMissing = loaded.preprocessor().options().missing() == MissingValues.INTERPOLATE;
            int channels = loaded.channels();
            boolean labelled = layout.label() >= 0;
            return new Iterator<>() {
                private final List<InternalRow> pending = new ArrayList<>();
                private int next;

                @Override
                public boolean hasNext() {
                    if (next < pending.size()) return true;
                    pending.clear();
                    next = 0;
                    while (pending.isEmpty() && rows.hasNext()) fill();
                    return !pending.isEmpty();
                }

                @Override
                public InternalRow next() {
                    if (!hasNext()) throw new java.util.NoSuchElementException();
                    return pending.get(next++);
                }

                /** Reads up to chunkRows rows, embeds the good ones, and queues their output rows. */
                private void fill() {
                    List<Object> ids = new ArrayList<>();
                    List<Object> labels = new ArrayList<>();
                    List<float[]> series = new ArrayList<>();
                    while (series.size() < options.chunkRows() && rows.hasNext()) {
                        InternalRow r = rows.next();
                        try {
                            series.add(RowSequence.read(r, layout.sequence(), layout.sequenceType(), channels,
                                    allowMissing, layout::idOf));
                        } catch (BadRowException e) {
                            if (options.onBadRow() == OnBadRow.FAIL) throw e;
                            skipped.count().add(1);
                            if (skipped.first().value().size() < Options.EXAMPLES) skipped.first().add(e.getMessage());
                            continue;
                        }
                        ids.add(detached(r.get(layout.id(), layout.idType())));
                        if (labelled) labels.add(r.isNullAt(layout.label()) ? null : detached(r.get(layout.label(), layout.labelType())));
                    }
                    if (series.isEmpty()) return;
                    Dataset chunk = Dataset.unlabelled("partition " + (task == null ? 0 : task.partitionId()),
                            series.toArray(new float[0][]), channels);
                    float[] emb;
                    int[] clusters = null;
                    Device device = ExecutorBackends.borrow(deviceName, threads, options.deterministic());
                    try {
                        ClusteringModel m = loaded.on(device);
                        if (options.assign()) {
                            ClusteringModel.Embedded both = m.embedAndAssign(chunk);
                            emb = both.embeddings();
                            clusters = both.assignment().labels();
                        } else {
                            emb = m.embed(chunk);
                        }
                    } finally {
                        ExecutorBackends.release(deviceName, threads, options.deterministic(), device);
                    }
                    int latent = emb.length / series.size();
                    for (int i = 0; i < series.size(); i++) {
                        Object[] values = new Object[2 + (clusters != null ? 1 : 0) + (labelled ? 1 : 0)];
                        int f = 0;
                        values[f++] = ids.get(i);
                        if (clusters != null) values[f++] = clusters[i];
                        values[f++] = UnsafeArrayData.fromPrimitiveArray(
                                java.util.Arrays.copyOfRange(emb, i * latent, (i + 1) * latent));
                        if (labelled) values[f] = labels.get(i);
                        pending.add(new GenericInternalRow(values));
                    }
                }
            };
        }
    }
}
