package org.rnnclust.spark;

import org.rnnclust.InputException;

/** Failed Spark jobs, read back as the engine's problems. */
public final class SparkFailures {
    private SparkFailures() {}

    /**
     * The first {@link InputException} a failed job carries (a task's bad row, or a device it could
     * not open, comes back to the driver wrapped in Spark's exceptions), else {@code e} itself.
     */
    public static RuntimeException inputProblem(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputException input) return input;
        }
        // Spark's analysis errors are the user's table or column (a missing path, a wrong type).
        if (e instanceof org.apache.spark.sql.AnalysisException a) {
            return new InputException(a.getMessage().lines().findFirst().orElse(a.toString()), a);
        }
        return e instanceof RuntimeException r ? r : new JobFailed(e);
    }

    /**
     * A failed job's checked exception (Scala throws SparkException undeclared), unchecked; it prints
     * as the exception it carries.
     */
    static final class JobFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JobFailed(Exception cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public String toString() {
            return getCause().toString();
        }
    }
}
