package org.rnnclust.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rnnclust.cli.Provenance;
import org.rnnclust.spark.SequenceColumns;
import org.rnnclust.spark.SparkKMeans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** k-means on a table's embeddings with Spark MLlib (k-means|| seeding, Lloyd's iterations). */
@Command(name = "kmeans", mixinStandardHelpOptions = true,
        header = "k-means on a column of embeddings.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust-spark kmeans --data embeddings.parquet --k 10 --out clustered"},
        description = "k-means on a column of embeddings (embed's output) with k-means|| seeding; writes the table with a cluster column, "
                + "and the centres in DIR/_centres.json.")
final class KMeansCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkJob job;

    @Option(names = "--data", required = true, paramLabel = "TABLE", description = "A table with an embedding column.")
    String data;

    @Option(names = "--data-format", paramLabel = "FMT", defaultValue = "parquet", description = "Default: ${DEFAULT-VALUE}.")
    String dataFormat;

    @Option(names = "--column", defaultValue = SequenceColumns.EMBEDDING, paramLabel = "COL",
            description = "The column of points (array<float> or array<double>). Default: ${DEFAULT-VALUE}.")
    String column;

    @Option(names = {"-k", "--k"}, required = true, paramLabel = "K", description = "Number of clusters.")
    int k;

    @Option(names = "--max-iter", defaultValue = "300", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = "--tol", defaultValue = "1e-4", paramLabel = "T",
            description = "Stop when no centre moves farther than this. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seeds k-means||. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The Parquet table to write (must not exist).")
    String out;

    @Override
    public Integer call() {
        if (k < 1) throw new org.rnnclust.InputException("--k must be >= 1, got " + k);
        if (maxIter < 1) throw new org.rnnclust.InputException("--max-iter must be >= 1, got " + maxIter);
        if (!(tol >= 0)) throw new org.rnnclust.InputException("--tol must be >= 0, got " + tol);
        return job.run("kmeans", spark -> {
            TableOutput output = TableOutput.claim(spark, out, "--out");
            org.apache.spark.sql.Dataset<Row> table = spark.read().format(dataFormat).load(data);
            SparkKMeans.Fit fit = new SparkKMeans(k, maxIter, tol, seed).fit(table, column);
            StructType schema = table.schema().add(SequenceColumns.CLUSTER, DataTypes.IntegerType, false);
            int at = table.schema().fieldIndex(column);
            MapFunction<Row, Row> withCluster = r -> {
                Object[] values = new Object[r.size() + 1];
                for (int i = 0; i < r.size(); i++) values[i] = r.get(i);
                java.util.List<Object> v = r.getList(at);
                float[] x = new float[v.size()];
                for (int i = 0; i < x.length; i++) x[i] = ((Number) v.get(i)).floatValue();
                values[r.size()] = fit.predict(x);
                return RowFactory.create(values);
            };
            Map<String, Object> provenance = Provenance.of(spec, "Spark " + spark.version() + ", master "
                    + spark.sparkContext().master());
            output.writeParquet(table.map(withCluster, Encoders.row(schema)),
                    folder -> writeCentres(output.fileSystem(), new Path(folder, "_centres.json"), fit, provenance));
            spec.commandLine().getOut().println("wrote " + output.path() + ": k=" + k + ", inertia " + fit.inertia());
            spec.commandLine().getOut().flush();
            return 0;
        });
    }

    /**
     * The centres and inertia, then where they came from, beside the table (Spark's readers skip
     * files whose names start with _).
     */
    private static void writeCentres(FileSystem fs, Path file, SparkKMeans.Fit fit, Map<String, Object> provenance)
            throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("k", fit.centres().length);
        doc.put("inertia", fit.inertia());
        doc.put("centres", fit.centres());
        doc.put("provenance", provenance);
        try (OutputStream os = fs.create(file, false)) {
            os.write((new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
