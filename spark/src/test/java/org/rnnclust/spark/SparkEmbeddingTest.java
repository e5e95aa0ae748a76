package org.rnnclust.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.PcaSettings;
import org.rnnclust.api.Refine;
import org.rnnclust.api.ReservoirClusterer;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;

/**
 * Distributed embed and assign in local[2] against the single-process model on the same rows: the
 * reservoir model (one channel) and the LSTM autoencoder (two channels, variable lengths).
 */
class SparkEmbeddingTest {
    @TempDir static Path dir;
    static Path reservoirModel;
    static Path autoencoderModel;
    static Dataset cbf;
    static Dataset twoChannels;

    @BeforeAll
    static void fitModels() {
        cbf = Cbf.generate(40, 64, 7);
        ReservoirSettings small = new ReservoirSettings(40, 0.9, 0.5, 0.25, true, 6, 1.0, 32, PcaSettings.defaults(), 2);
        try (ClusteringModel m = ReservoirClusterer.builder().settings(small).clusters(3).seed(3).device("cpu").build()
                .fit(cbf)) {
            reservoirModel = dir.resolve("reservoir.rnnclust");
            m.save(reservoirModel);
        }
        twoChannels = variableTwoChannel(90, 11);
        try (ClusteringModel m = SequenceClusterer.builder().hidden(8).latent(4).epochs(2).batchSize(16).clusters(3)
                .refine(Refine.NONE).seed(5).device("cpu").build().fit(twoChannels)) {
            autoencoderModel = dir.resolve("autoencoder.rnnclust");
            m.save(autoencoderModel);
        }
    }

    /** Sequences of 12–30 steps of 2 channels, three kinds of shape. */
    static Dataset variableTwoChannel(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] series = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int len = 12 + r.nextInt(19);
            labels[i] = i % 3;
            series[i] = new float[len * 2];
            for (int t = 0; t < len; t++) {
                series[i][2 * t] = (float) (Math.sin(t * (0.2 + 0.3 * labels[i])) + 0.1 * r.nextDouble());
                series[i][2 * t + 1] = (float) (labels[i] - 1 + 0.2 * r.nextDouble());
            }
        }
        return new Dataset("two-channel", series, 2, labels, List.of("a", "b", "c"));
    }

    static org.apache.spark.sql.Dataset<Row> table(SparkSession spark, Dataset d, int partitions) {
        return SequenceTables.of(spark, d, SequenceColumns.defaults(), true, partitions);
    }

    @Test
    void reservoirEmbeddingsAndClustersEqualSingleProcess() {
        checkAgainstSingleProcess(reservoirModel, cbf, 3, 7, false);
    }

    @Test
    void autoencoderOnTwoChannelsEqualsSingleProcess() {
        checkAgainstSingleProcess(autoencoderModel, twoChannels, 4, 16, false);
    }

    @Test
    void inTheDeterministicModeEveryNumberIsTheSameBits() {
        checkAgainstSingleProcess(reservoirModel, cbf, 3, 7, true);
        checkAgainstSingleProcess(autoencoderModel, twoChannels, 4, 16, true);
    }

    /**
     * Every row's cluster, and its embedding within 1e-6 of the embedding's norm (bit for bit in the
     * deterministic mode): in the default mode the rows that share a chunk change how OpenBLAS blocks
     * the products, which moves the last bits, and the reservoir's recursion carries them on.
     */
    private void checkAgainstSingleProcess(Path model, Dataset data, int partitions, int chunkRows, boolean deterministic) {
        SparkSession spark = LocalSpark.session();
        SparkEmbedding.Result out = SparkEmbedding.apply(spark, table(spark, data, partitions), model,
                SparkEmbedding.Options.embedding().withAssign(true).withChunkRows(chunkRows).withDevice("cpu")
                        .withDeterministic(deterministic));
        List<Row> rows = new ArrayList<>(out.rows().collectAsList());
        rows.sort(Comparator.comparingLong(r -> r.getLong(0)));
        assertEquals(data.size(), rows.size());
        float[] expected;
        Assignment assignment;
        try (Device cpu = Device.open(DeviceOptions.of("cpu").withDeterministic(deterministic));
             ClusteringModel m = ClusteringModel.load(model)) {
            ClusteringModel on = m.on(cpu);
            expected = on.embed(data);
            assignment = on.assign(data);
        }
        int latent = expected.length / data.size();
        for (int i = 0; i < data.size(); i++) {
            Row r = rows.get(i);
            assertEquals(i, r.getLong(0));
            assertEquals(assignment.labels()[i], r.getInt(1), "cluster of row " + i);
            List<Float> z = r.getList(2);
            assertEquals(latent, z.size());
            double diff = 0;
            double norm = 0;
            for (int j = 0; j < latent; j++) {
                float e = expected[i * latent + j];
                if (deterministic) assertEquals(e, z.get(j), 0f, "embedding of row " + i + ", coordinate " + j);
                diff += (e - z.get(j)) * (double) (e - z.get(j));
                norm += e * (double) e;
            }
            assertTrue(Math.sqrt(diff) <= 1e-6 * Math.sqrt(norm), "embedding of row " + i + ": relative difference "
                    + Math.sqrt(diff / norm));
            assertEquals(data.labelNames().get(data.labels()[i]), r.getString(3));
        }
        assertEquals(0, out.skipped().rows());
    }

    /**
     * A Parquet table as users write them: string ids and doubles. Its reader reuses each row's
     * memory for the next, so every id and label a task keeps across a chunk must be its own copy;
     * the doubles hold the floats exactly, so the embeddings are the float table's.
     */
    @Test
    void parquetWithStringIdsAndDoublesKeepsEveryRowsIdAndLabel() {
        SparkSession spark = LocalSpark.session();
        String path = dir.resolve("strings.parquet").toString();
        table(spark, cbf, 3).selectExpr("concat('series-', cast(id as string)) as id",
                        "transform(sequence, x -> cast(x as double)) as sequence", "label")
                .write().parquet(path);
        SparkEmbedding.Result out = SparkEmbedding.apply(spark, spark.read().parquet(path), reservoirModel,
                SparkEmbedding.Options.embedding().withAssign(true).withChunkRows(5).withDevice("cpu"));
        assertEquals(DataTypes.StringType, out.rows().schema().apply("id").dataType());
        float[] expected;
        int[] clusters;
        try (Device cpu = Device.open(DeviceOptions.of("cpu")); ClusteringModel m = ClusteringModel.load(reservoirModel)) {
            expected = m.on(cpu).embed(cbf);
            clusters = m.on(cpu).assign(cbf).labels();
        }
        int latent = expected.length / cbf.size();
        List<Row> rows = out.rows().collectAsList();
        assertEquals(cbf.size(), rows.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Row r : rows) {
            String id = r.getString(0);
            assertTrue(seen.add(id), "id " + id + " twice");
            int i = Integer.parseInt(id.substring("series-".length()));
            assertEquals(cbf.labelNames().get(cbf.labels()[i]), r.getString(3), "label of " + id);
            assertEquals(clusters[i], r.getInt(1), "cluster of " + id);
            List<Float> z = r.getList(2);
            for (int j = 0; j < latent; j++) {
                assertEquals(expected[i * latent + j], z.get(j), 1e-5f * (1 + Math.abs(expected[i * latent + j])),
                        id + ", coordinate " + j);
            }
        }
    }

    @Test
    void aBadRowFailsTheJobNamingItsId() {
        SparkSession spark = LocalSpark.session();
        Exception e = assertThrows(Exception.class, () -> SparkEmbedding.apply(spark,
                withBadRows(spark).filter("id != 10 and id != 12"), reservoirModel, SparkEmbedding.Options.embedding().withDevice("cpu"))
                .rows().collectAsList());
        RuntimeException problem = SparkFailures.inputProblem(e);
        assertTrue(problem instanceof BadRowException, "not a bad-row failure: " + e);
        assertEquals("row id=11: missing value (NaN) at step 3 (the model refuses missing values, as it was trained to)",
                problem.getMessage());
    }

    @Test
    void skippedBadRowsAreCountedAndReported() {
        SparkSession spark = LocalSpark.session();
        SparkEmbedding.Result out = SparkEmbedding.apply(spark, withBadRows(spark), reservoirModel,
                SparkEmbedding.Options.embedding().withDevice("cpu").withOnBadRow(OnBadRow.SKIP));
        List<Row> rows = out.rows().collectAsList();
        assertEquals(cbf.size(), rows.size());
        assertEquals(3, out.skipped().rows());
        List<String> problems = out.skipped().examples();
        assertTrue(problems.stream().anyMatch(p -> p.equals("row id=10: the sequence is null")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("row id=11: missing value (NaN) at step 3")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("row id=12: a flat sequence has 1 channel")
                || p.startsWith("row id=12: step 1 has 2 channels")), problems.toString());
    }

    /** The CBF rows (ids 1000 + i) and three bad ones: a null, a NaN, two channels for a one-channel model. */
    private static org.apache.spark.sql.Dataset<Row> withBadRows(SparkSession spark) {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("sequence", DataTypes.createArrayType(
                        DataTypes.createArrayType(DataTypes.FloatType, true), true), true)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cbf.size(); i++) {
            Float[][] steps = new Float[cbf.series(i).length][];
            for (int t = 0; t < steps.length; t++) steps[t] = new Float[] {cbf.series(i)[t]};
            rows.add(RowFactory.create(1000L + i, steps));
        }
        Float[][] nan = new Float[64][];
        for (int t = 0; t < 64; t++) nan[t] = new Float[] {t == 2 ? Float.NaN : 0.5f * t};
        Float[][] two = new Float[64][];
        for (int t = 0; t < 64; t++) two[t] = new Float[] {1f, 2f};
        rows.add(5, RowFactory.create(10L, null));
        rows.add(30, RowFactory.create(11L, nan));
        rows.add(rows.size(), RowFactory.create(12L, two));
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    @Test
    void eachTaskReusesTheExecutorsDevices() {
        SparkSession spark = LocalSpark.session();
        // Eight partitions in local[2]: at most two tasks at once, so at most two more CPU devices.
        int before = ExecutorBackends.openedDevices();
        SparkEmbedding.apply(spark, table(spark, cbf, 8), reservoirModel,
                SparkEmbedding.Options.embedding().withDevice("cpu")).rows().count();
        int opened = ExecutorBackends.openedDevices() - before;
        assertTrue(opened <= 2, opened + " devices opened for 8 tasks");
    }

    @Test
    void deviceAutoIsTheCpuWithoutAGpuResource() {
        assertEquals("cpu", ExecutorBackends.deviceFor("auto", null));
        assertEquals("cuda:1", ExecutorBackends.deviceFor("cuda:1", null));
    }

    @Test
    void convertedRowsHoldTheDatasetsValues() {
        SparkSession spark = LocalSpark.session();
        List<Row> rows = new ArrayList<>(table(spark, twoChannels, 3).collectAsList());
        rows.sort(Comparator.comparingLong(r -> r.getLong(0)));
        for (int i = 0; i < twoChannels.size(); i++) {
            List<Object> steps = rows.get(i).getList(1);
            float[] back = new float[steps.size() * 2];
            for (int t = 0; t < steps.size(); t++) {
                List<?> step = RowSequence.asList(steps.get(t));
                back[2 * t] = (Float) step.get(0);
                back[2 * t + 1] = (Float) step.get(1);
            }
            assertArrayEquals(twoChannels.series(i), back);
            assertEquals(twoChannels.labelNames().get(twoChannels.labels()[i]), rows.get(i).getString(2));
        }
        float[][] withNaN = {{1f, Float.NaN, 3f}};
        Dataset bad = Dataset.unlabelled("nan", withNaN, 1);
        assertThrows(org.rnnclust.InputException.class,
                () -> SequenceTables.of(spark, bad, SequenceColumns.defaults(), true, 1));
        List<Float> kept = SequenceTables.of(spark, bad, SequenceColumns.defaults(), false, 1)
                .collectAsList().get(0).getList(1);
        assertTrue(Float.isNaN(kept.get(1)));
    }
}
