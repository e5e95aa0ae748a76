package org.rnnclust.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * k-means on a column of embeddings with Spark MLlib: k-means|| seeding (Bahmani et al., 2012: a
 * few passes that each sample O(k) points, where k-means++ would need k passes over distributed
 * data) and Lloyd's iterations, each one pass that sums the points of every cluster on the
 * executors. MLlib is Spark's own, tested implementation of exactly this; the engine's Lloyd step
 * inside a treeAggregate would compute the same sums with more code to keep. The points are cached
 * (memory, then disk) for the iterations.
 *
 * @param k       clusters
 * @param maxIter Lloyd iterations at most
 * @param tol     stop when no centre moves farther than this (Euclidean distance)
 * @param seed    seeds k-means||
 */
public record SparkKMeans(int k, int maxIter, double tol, long seed) {
    public SparkKMeans {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (maxIter < 1) throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
        if (tol < 0) throw new IllegalArgumentException("tol must be >= 0, got " + tol);
    }

    /** The fitted centres and the sum of squared distances of the points to their nearest centre. */
    public record Fit(double[][] centres, double inertia, KMeansModel model) implements java.io.Serializable {
        public int predict(float[] point) {
            return model.predict(vector(point));
        }
    }

    /** Fits from k-means|| seeds. */
    public Fit fit(org.apache.spark.sql.Dataset<Row> table, String column) {
        return run(points(table, column), null);
    }

    /** Lloyd's iterations from the given centres (the check against single-process k-means). */
    public Fit fitFrom(org.apache.spark.sql.Dataset<Row> table, String column, double[][] initial) {
        if (initial.length != k) throw new IllegalArgumentException(initial.length + " initial centres for k=" + k);
        return run(points(table, column), initial);
    }

    private Fit run(JavaRDD<Vector> points, double[][] initial) {
        points.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            KMeans km = new KMeans().setK(k).setMaxIterations(maxIter).setEpsilon(tol).setSeed(seed)
                    .setInitializationMode(KMeans.K_MEANS_PARALLEL());
            if (initial != null) {
                Vector[] start = new Vector[k];
                for (int c = 0; c < k; c++) start[c] = Vectors.dense(initial[c]);
                km.setInitialModel(new KMeansModel(start));
            }
            KMeansModel model = km.run(points.rdd());
            double[][] centres = new double[k][];
            Vector[] fitted = model.clusterCenters();
            for (int c = 0; c < fitted.length; c++) centres[c] = fitted[c].toArray();
            return new Fit(centres, model.computeCost(points.rdd()), model);
        } finally {
            points.unpersist(false);
        }
    }

    private static JavaRDD<Vector> points(org.apache.spark.sql.Dataset<Row> table, String column) {
        SequenceColumns.field(table.schema(), column);  // a missing column is one line, before any job
        return table.select(column).javaRDD().map(r -> {
            if (r.isNullAt(0)) throw new org.rnnclust.InputException("a null " + column + " in the k-means input");
            List<Object> v = r.getList(0);
            double[] x = new double[v.size()];
            for (int i = 0; i < x.length; i++) x[i] = ((Number) v.get(i)).doubleValue();
            return Vectors.dense(x);
        });
    }

    static Vector vector(float[] point) {
        double[] x = new double[point.length];
        for (int i = 0; i < x.length; i++) x[i] = point[i];
        return Vectors.dense(x);
    }
}
