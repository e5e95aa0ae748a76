package org.rnnclust.spark.cli;

import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.rnnclust.spark.SparkFailures;
import picocli.CommandLine.Option;

/**
 * The Spark session of one command: under spark-submit, the master and resources come from its
 * configuration; run directly, {@code --master} (default local[*]).
 */
final class SparkJob {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not run by spark-submit (default: local[*]; spark-submit's --master wins).")
    String master;

    /** Runs {@code body} in a session; a problem with the input found by a task ends as the task's one line. */
    <T> T run(String command, Function<SparkSession, T> body) {
        SparkConf conf = new SparkConf().setAppName("rnnclust " + command);
        if (!conf.contains("spark.master")) conf.setMaster(master != null ? master : "local[*]");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            return body.apply(spark);
        } catch (Exception e) {  // SparkException is checked, and thrown undeclared
            throw SparkFailures.inputProblem(e);
        }
    }
}
