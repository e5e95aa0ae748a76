package org.rnnclust.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The result files every clustering command writes: assignments.csv and metrics.json. */
public final class ResultFiles {
    public static final String ASSIGNMENTS = "assignments.csv";
    public static final String METRICS = "metrics.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {}

    /**
     * One row per sequence in input order: {@code index,cluster}, plus {@code label} (as written in
     * the data file) when labels exist.
     */
    public static void writeAssignments(Path file, int[] clusters, int[] labels, List<String> labelNames)
            throws IOException {
        try (AssignmentRows rows = new AssignmentRows(file, labels != null)) {
            rows.append(clusters, labels, labelNames);
        }
    }

    /**
     * {@link #writeAssignments}'s file written a piece at a time: rows are appended in input order,
     * numbered from 0 across the pieces.
     */
    public static final class AssignmentRows implements java.io.Closeable {
        private final BufferedWriter w;
        private final boolean labelled;
        private long next;

        /** @param labelled whether each row has a label column */
        public AssignmentRows(Path file, boolean labelled) throws IOException {
            this.w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            this.labelled = labelled;
            w.write(labelled ? "index,cluster,label\n" : "index,cluster\n");
        }

        /**
         * Appends the clusters of the next {@code clusters.length} sequences and, in a labelled
         * file, their labels (indices into {@code labelNames}, each written as its name).
         */
        public void append(int[] clusters, int[] labels, List<String> labelNames) throws IOException {
            if (labelled != (labels != null)) {
                throw new IllegalArgumentException(labelled ? "labels missing for a labelled file" : "labels for an unlabelled file");
            }
            for (int i = 0; i < clusters.length; i++) {
                w.write(Long.toString(next++));
                w.write(',');
                w.write(Integer.toString(clusters[i]));
                if (labels != null) {
                    w.write(',');
                    w.write(csvField(labelNames.get(labels[i])));
                }
                w.write('\n');
            }
        }

        public long rows() {
            return next;
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }

    /** Writes {@code values} as indented JSON, ending with a newline as text files do. */
    public static void writeJson(Path file, Map<String, ?> values) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(values) + "\n", StandardCharsets.UTF_8);
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
