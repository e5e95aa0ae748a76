package org.rnnclust.spark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rnnclust.InputException;

/**
 * An output table that appears whole or not at all: Spark writes it into a hidden sibling folder,
 * which is renamed to the output's name once every task has committed; a failed job removes it.
 * The path may be a local path or a Hadoop URI (hdfs://, file://).
 */
final class TableOutput {
    private final Path target;
    private final Path staging;
    private final FileSystem fs;

    private TableOutput(Path target, FileSystem fs) {
        this.target = target;
        this.fs = fs;
        this.staging = new Path(target.getParent(), "." + target.getName() + ".partial-" + UUID.randomUUID());
    }

    /** Claims {@code out}: refused when it exists. */
    static TableOutput claim(SparkSession spark, String out, String flag) {
        try {
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            Path p = new Path(out);
            FileSystem fs = p.getFileSystem(conf);
            Path q = fs.makeQualified(p);
            if (fs.exists(q)) throw new InputException(flag + " " + out + " already exists; choose another path or remove it");
            return new TableOutput(q, fs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code rows} as Parquet and publishes them under the output's name. */
    void writeParquet(org.apache.spark.sql.Dataset<Row> rows) {
        writeParquet(rows, folder -> { });
    }

    /** Something written into the finished table's folder before it is published. */
    interface Extra {
        void write(Path folder) throws IOException;
    }

    /** As {@link #writeParquet(org.apache.spark.sql.Dataset)}, with {@code extra} files in the folder. */
    void writeParquet(org.apache.spark.sql.Dataset<Row> rows, Extra extra) {
        boolean published = false;
        try {
            rows.write().parquet(staging.toString());
            extra.write(staging);
            if (!fs.rename(staging, target)) {
                throw new InputException("cannot publish " + target + " (renaming the finished table failed)");
            }
            published = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            // Also when a task failed (Spark's exceptions are checked and thrown undeclared).
            if (!published) deleteQuietly(staging);
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // the failure that brought us here is the one to report
        }
    }

    String path() {
        return target.toString();
    }

    FileSystem fileSystem() {
        return fs;
    }
}
