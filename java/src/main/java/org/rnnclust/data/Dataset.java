package org.rnnclust.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * N sequences, each with its own length T_i and the same number of channels C, stored as float32
 * in time-major order: value (t, c) of sequence i is {@code series(i)[t * C + c]}. Missing values
 * are NaN until preprocessing decides what to do with them.
 *
 * <p>Labels are optional. When present they are integers 0..L-1 indexing {@link #labelNames()},
 * the labels as written in the file ("1", "-1", "Walking"), in order of first appearance unless the
 * file declares them.
 *
 * <p>Immutable by contract: the arrays handed in are owned by the dataset afterwards.
 */
public final class Dataset {
    private final String name;
    private final float[][] series;
    private final int channels;
    private final int[] labels;          // null when unlabelled
    private final List<String> labelNames;
    private final long firstRecord;      // the file's record before the first sequence (a chunk's offset)

    public Dataset(String name, float[][] series, int channels, int[] labels, List<String> labelNames) {
        this(name, series, channels, labels, labelNames, 0);
    }

    private Dataset(String name, float[][] series, int channels, int[] labels, List<String> labelNames,
                    long firstRecord) {
        if (firstRecord < 0) throw new IllegalArgumentException("first record must be >= 0, got " + firstRecord);
        this.firstRecord = firstRecord;
        this.name = Objects.requireNonNull(name);
        this.series = Objects.requireNonNull(series);
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        this.channels = channels;
        for (int i = 0; i < series.length; i++) {
            if (series[i].length % channels != 0) {
                throw new IllegalArgumentException("sequence " + i + " has " + series[i].length
                        + " values, not a multiple of " + channels + " channels");
            }
        }
        if (labels != null) {
            if (labels.length != series.length) {
                throw new IllegalArgumentException(labels.length + " labels for " + series.length + " sequences");
            }
            Objects.requireNonNull(labelNames, "labelNames");
            for (int l : labels) {
                if (l < 0 || l >= labelNames.size()) throw new IllegalArgumentException("label index " + l + " out of range");
            }
        }
        this.labels = labels;
        this.labelNames = labels == null ? List.of() : List.copyOf(labelNames);
    }

    public static Dataset unlabelled(String name, float[][] series, int channels) {
        return new Dataset(name, series, channels, null, null);
    }

    /** Where the data came from (file name or generator), used in messages. */
    public String name() { return name; }

    public int size() { return series.length; }

    public int channels() { return channels; }

    /** Number of time steps of sequence i. */
    public int length(int i) { return series[i].length / channels; }

    public int minLength() {
        return Arrays.stream(series).mapToInt(s -> s.length / channels).min().orElse(0);
    }

    public int maxLength() {
        return Arrays.stream(series).mapToInt(s -> s.length / channels).max().orElse(0);
    }

    public boolean equalLength() { return minLength() == maxLength(); }

    /** Values of sequence i, time-major (length(i) * channels). Not copied: do not modify. */
    public float[] series(int i) { return series[i]; }

    public boolean hasLabels() { return labels != null; }

    /** Label indices, or null when unlabelled. Not copied: do not modify. */
    public int[] labels() { return labels; }

    public List<String> labelNames() { return labelNames; }

    public int numClasses() { return labelNames.size(); }

    /** Same labels, name and record numbers, new values (the preprocessing steps build on this). */
    public Dataset withSeries(float[][] newSeries) {
        if (newSeries.length != series.length) throw new IllegalArgumentException("size changed");
        return new Dataset(name, newSeries, channels, labels, labelNames, firstRecord);
    }

    /**
     * The same sequences as the chunk of a file that starts after its first {@code records}
     * records: messages then number sequence 0 as record {@code records + 1}, as in the whole file.
     */
    public Dataset asRecordsFrom(long records) {
        return new Dataset(name, series, channels, labels, labelNames, records);
    }

    /** Sequence i's record number in its file, from 1: what messages name. */
    public long recordNumber(int i) {
        return firstRecord + i + 1;
    }

    /**
     * TRAIN followed by TEST. Label names are united by their text, so "1" in one file and "1" in
     * the other are the same class, and a class present in only one file is kept. Both must have
     * labels or neither: labels for part of the data would be dropped or misread.
     */
    public static Dataset concat(String name, Dataset a, Dataset b) {
        if (a.channels != b.channels) {
            throw new org.rnnclust.InputException("cannot merge " + a.name + " (" + a.channels + " channels) with "
                    + b.name + " (" + b.channels + " channels)");
        }
        float[][] all = new float[a.size() + b.size()][];
        System.arraycopy(a.series, 0, all, 0, a.size());
        System.arraycopy(b.series, 0, all, a.size(), b.size());
        if (a.hasLabels() != b.hasLabels()) {
            Dataset unlabelled = a.hasLabels() ? b : a;
            throw new org.rnnclust.InputException("cannot merge " + a.name + " with " + b.name + ": "
                    + unlabelled.name + " has no labels, so the merged data would be labelled only in part");
        }
        if (!a.hasLabels()) {
            return unlabelled(name, all, a.channels);
        }
        List<String> names = new ArrayList<>(a.labelNames);
        int[] labels = new int[all.length];
        for (int i = 0; i < a.size(); i++) labels[i] = a.labels[i];
        for (int i = 0; i < b.size(); i++) {
            String label = b.labelNames.get(b.labels[i]);
            int idx = names.indexOf(label);
            if (idx < 0) {
                names.add(label);
                idx = names.size() - 1;
            }
            labels[a.size() + i] = idx;
        }
        return new Dataset(name, all, a.channels, labels, names);
    }
}
