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
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(labels != null ? "index,cluster,label\n" : "index,cluster\n");
            for (int i = 0; i < clusters.length; i++) {
                w.write(Integer.toString(i));
                w.write(',');
                w.write(Integer.toString(clusters[i]));
                if (labels != null) {
                    w.write(',');
                    w.write(csvField(labelNames.get(labels[i])));
                }
                w.write('\n');
            }
        }
    }

    /**
     * {@link #writeAssignments}'s file without labels, written a piece at a time: rows are appended
     * in input order, numbered from 0 across the pieces.
     */
    public static final class AssignmentRows implements java.io.Closeable {
        private final BufferedWriter w;
        private long next;

        public AssignmentRows(Path file) throws IOException {
            this.w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            w.write("index,cluster\n");
        }

        /** Appends the clusters of the next {@code clusters.length} sequences. */
        public void append(int[] clusters) throws IOException {
            for (int c : clusters) {
                w.write(Long.toString(next++));
                w.write(',');
                w.write(Integer.toString(c));
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
