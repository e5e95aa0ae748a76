package org.rnnclust.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] session for every test in this JVM (starting Spark takes seconds). */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("rnnclust-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
