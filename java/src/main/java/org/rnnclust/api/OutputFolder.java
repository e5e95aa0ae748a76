package org.rnnclust.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.io.AtomicOutput;
import org.rnnclust.io.ResultFiles;

/**
 * A set of output files written all together or not at all: every file goes to a staging folder
 * inside {@code dir} first, and {@link #commit()} moves them into place in the order they were
 * written, recording the set and its digests in {@value org.rnnclust.io.SetManifest#FILE} (see
 * {@link AtomicOutput} for the steps and what an interrupted commit leaves); closing without
 * committing (an exception on the way) deletes the staging folder and leaves {@code dir} as it was.
 * Every failure to write is one {@link InputException} line naming the folder. Two writers of one
 * folder at once are the caller's to prevent ({@link org.rnnclust.io.OutputLock} claims a folder).
 */
public final class OutputFolder implements AutoCloseable {
    /** {@code index,cluster[,label]}, one row per sequence in input order. */
    public static final String ASSIGNMENTS = ResultFiles.ASSIGNMENTS;
    /** The job's figures as one JSON object. */
    public static final String METRICS = ResultFiles.METRICS;

    private final AtomicOutput output;

    private OutputFolder(AtomicOutput output) {
        this.output = output;
    }

    /** Creates {@code dir} if needed and a staging folder inside it. */
    public static OutputFolder open(Path dir) {
        return new OutputFolder(AtomicOutput.in(dir));
    }

    public Path dir() {
        return output.dir();
    }

    /** Where to write file {@code name}; it appears in the folder at commit. */
    public Path file(String name) {
        return output.file(name);
    }

    /** {@value #ASSIGNMENTS}: each sequence's cluster, and its label as the data file names it when there are labels. */
    public void writeAssignments(int[] clusters, Dataset scored) {
        write(() -> ResultFiles.writeAssignments(file(ASSIGNMENTS), clusters, scored.labels(), scored.labelNames()));
    }

    /**
     * {@value #ASSIGNMENTS}, written as the clusters of successive pieces of the data come
     * ({@code index,cluster}, numbered across the pieces, and {@code label} when {@code labelled});
     * close it before the commit.
     */
    public AssignmentRows openAssignments(boolean labelled) {
        try {
            return new AssignmentRows(new ResultFiles.AssignmentRows(file(ASSIGNMENTS), labelled));
        } catch (IOException e) {
            throw new InputException(AtomicOutput.describe(dir(), e));
        }
    }

    /** An {@value #ASSIGNMENTS} being written a piece at a time ({@link #openAssignments}). */
    public final class AssignmentRows implements AutoCloseable {
        private final ResultFiles.AssignmentRows rows;

        private AssignmentRows(ResultFiles.AssignmentRows rows) {
            this.rows = rows;
        }

        /** Appends the clusters of the next sequences (an unlabelled file). */
        public void append(int[] clusters) {
            write(() -> rows.append(clusters, null, null));
        }

        /** Appends the clusters of the next sequences, {@code piece}: with its labels in a labelled file. */
        public void append(int[] clusters, Dataset piece) {
            write(() -> rows.append(clusters, piece.labels(), piece.labelNames()));
        }

        @Override
        public void close() {
            write(rows::close);
        }
    }

    /** {@code name} as a JSON object (indented, keys in the map's order). */
    public void writeJson(String name, Map<String, ?> values) {
        write(() -> ResultFiles.writeJson(file(name), values));
    }

    /** {@code name} holding {@code bytes} (a chart, say). */
    public void writeBytes(String name, byte[] bytes) {
        write(() -> java.nio.file.Files.write(file(name), bytes));
    }

    /** The model file {@value ClusteringModel#FILE}. */
    public void writeModel(ClusteringModel model) {
        writeModel(model, ModelKeys.NONE);
    }

    /** The model file {@value ClusteringModel#FILE}, signed with the signing key of {@code keys} when it has one. */
    public void writeModel(ClusteringModel model, ModelKeys keys) {
        model.save(file(ClusteringModel.FILE), keys);
    }

    /** Moves every file into place in the order they were asked for (so ask for the model last). */
    public void commit() {
        output.commit();
    }

    @Override
    public void close() {
        output.close();
    }

    /** One JSON file on its own, outside any folder set. */
    public static void writeJsonFile(Path file, Map<String, ?> values) {
        try {
            ResultFiles.writeJson(file, values);
        } catch (IOException e) {
            throw new InputException(file + ": cannot write: " + e.getMessage());
        }
    }

    /** One line for a folder that cannot be written: the folder and why. */
    public static String describe(Path dir, IOException e) {
        return AtomicOutput.describe(dir, e);
    }

    private interface Writing {
        void run() throws IOException;
    }

    private void write(Writing w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new InputException(AtomicOutput.describe(dir(), e));
        }
    }
}
