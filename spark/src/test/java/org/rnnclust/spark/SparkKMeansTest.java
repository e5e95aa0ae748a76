package org.rnnclust.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.rnnclust.api.Device;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;

/** MLlib's k-means on an embedding column (local[2]) against the engine's single-process k-means. */
class SparkKMeansTest {
    static final int N = 3000;
    static final int D = 5;
    static final int K = 6;

    /** Six overlapping Gaussian blobs. */
    static float[] points(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] centres = new double[K][D];
        for (double[] c : centres) for (int j = 0; j < D; j++) c[j] = 4 * r.nextDouble();
        float[] x = new float[N * D];
        for (int i = 0; i < N; i++) {
            double[] c = centres[r.nextInt(K)];
            for (int j = 0; j < D; j++) x[i * D + j] = (float) (c[j] + gaussian(r));
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static org.apache.spark.sql.Dataset<Row> table(SparkSession spark, float[] x) {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField(SequenceColumns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) rows.add(RowFactory.create((long) i, SequenceColumns.boxed(x, i * D, D)));
        return spark.createDataFrame(rows, schema).repartition(4);
    }

    @Test
    void fromTheSameCentresLloydReachesTheSingleProcessResult() {
        float[] x = points(1);
        float[] init = new float[K * D];
        double[][] initRows = new double[K][D];
        for (int c = 0; c < K; c++) {
            for (int j = 0; j < D; j++) {
                init[c * D + j] = x[(c * 37) * D + j];  // k of the points as the starting centres
                initRows[c][j] = init[c * D + j];
            }
        }
        KMeansModel single;
        try (Device cpu = Device.open("cpu")) {
            single = new KMeans(KMeansParams.of(K, 0).withMaxIter(1000).withTol(0)).fitFrom(cpu.backend(), x, N, D, init);
        }
        assertTrue(single.converged());
        SparkKMeans.Fit distributed = new SparkKMeans(K, 1000, 0.0, 0).fitFrom(table(LocalSpark.session(), x),
                SequenceColumns.EMBEDDING, initRows);
        assertEquals(single.inertia(), distributed.inertia(), 1e-6 * single.inertia());
        for (int i = 0; i < N; i++) {
            float[] p = new float[D];
            System.arraycopy(x, i * D, p, 0, D);
            assertEquals(single.labels()[i], distributed.predict(p), "point " + i);
        }
    }

    @Test
    void kMeansParallelSeedingIsWithinTwoPercentOfTenRestarts() {
        float[] x = points(2);
        double best;
        try (Device cpu = Device.open("cpu")) {
            best = new KMeans(KMeansParams.of(K, 3).withNInit(10)).fit(cpu.backend(), x, N, D).inertia();
        }
        SparkKMeans.Fit distributed = new SparkKMeans(K, 300, 1e-4, 3).fit(table(LocalSpark.session(), x),
                SequenceColumns.EMBEDDING);
        assertTrue(distributed.inertia() <= 1.02 * best,
                "k-means|| inertia " + distributed.inertia() + " against the best of 10 k-means++ starts " + best);
    }
}
