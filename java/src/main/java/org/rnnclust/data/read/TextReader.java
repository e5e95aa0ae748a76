package org.rnnclust.data.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.LabelIndex;
import org.rnnclust.data.RowSample;

/**
 * A text format (UCR, .ts, CSV, ARFF) read one case at a time. The format's rules live in its
 * {@link #parse} alone, which hands each case on as it is read; the whole-file read
 * ({@link #read}), the read in chunks ({@link #stream}) and the reservoir sample ({@link #sample})
 * all take their cases from it, so the three accept and refuse the same files with the same
 * messages (only the whole-file read charges a {@link DataBudget} for the dataset it holds).
 */
abstract class TextReader implements DatasetReader {
    /**
     * What a parser knows once it has read its first case, before handing it on.
     *
     * @param channels every case's channels
     * @param steps    every case's steps when the format makes them equal (CSV, ARFF, a .ts file
     *                 with {@code @equalLength true}), else −1
     * @param labelled whether every case has a class label (else none has)
     * @param classes  the classes the file declares, in their order (.ts, ARFF), or null when the
     *                 labels are numbered as written ({@link Labels#index})
     */
    record Layout(int channels, int steps, boolean labelled, List<String> classes) {}

    /** Where a parser hands its cases, in the file's order. */
    interface Cases {
        /** Once, before the first case. */
        void start(Layout layout) throws IOException;

        /**
         * One case: its values time-major ({@code channels} per step), its label as written (null
         * when the file has none), and the line it starts on.
         */
        void accept(float[] values, String label, long lineNo) throws IOException;
    }

    /**
     * Reads {@code input} front to back, handing each case to {@code cases} as soon as it is read
     * (after one {@link Cases#start}), holding no more than the current line or record.
     *
     * @param budget charged before each case's values are made, or null when the caller keeps no
     *               more than a chunk or a sample
     * @throws org.rnnclust.InputException naming the line for anything malformed, and when the file
     *               holds no case
     */
    abstract void parse(SourceStream input, ReadOptions options, DataBudget budget, Cases cases) throws IOException;

    @Override
    public final Dataset read(SourceStream input, ReadOptions options) throws IOException {
        List<float[]> series = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Layout[] layout = {null};
        Map<String, String> declared = new HashMap<>();
        parse(input, options, input.budget(), new Cases() {
            @Override
            public void start(Layout l) {
                layout[0] = l;
                if (l.classes() != null) for (String c : l.classes()) declared.put(c, c);
            }

            @Override
            public void accept(float[] values, String label, long lineNo) {
                series.add(values);
                // a declared class is held as its one name, not as a string per case
                if (label != null) labels.add(declared.getOrDefault(label, label));
            }
        });
        return dataset(input.name(), series.toArray(float[][]::new), layout[0], labels);
    }

    /**
     * Reads the input front to back and hands {@code body} its sequences in chunks of
     * {@code chunkRows}, or, with 0, of as many as hold {@code autoValues} values (at most
     * {@link Readers#AUTO_CHUNK_MAX_ROWS}): memory for one chunk whatever the file's size.
     * {@code body.start} gets −1 sequences (known only at the end), the steps when the format makes
     * every case as long (else −1), and the channels. A labelled file's chunks carry their labels,
     * numbered across the chunks: declared classes in the file's order, labels as written in order
     * of first appearance (not sorted as {@link #read} sorts numbers: the later chunks are not read
     * yet), each chunk naming the labels seen so far.
     */
    final void stream(SourceStream input, ReadOptions options, int chunkRows, int autoValues, Readers.Rows body)
            throws IOException {
        String source = input.name();
        List<float[]> chunk = new ArrayList<>();
        List<String> chunkLabels = new ArrayList<>();
        Layout[] layout = {null};
        LabelIndex[] labels = {null};
        long[] values = {0};
        long[] handed = {0};
        // No budget for the whole file: only a chunk is held (a line is bounded by the text limits).
        parse(input, options, null, new Cases() {
            @Override
            public void start(Layout l) throws IOException {
                layout[0] = l;
                if (l.labelled()) labels[0] = l.classes() == null ? new LabelIndex() : new LabelIndex(l.classes());
                body.start(-1, l.steps(), l.channels());
            }

            @Override
            public void accept(float[] series, String label, long lineNo) throws IOException {
                chunk.add(series);
                if (label != null) chunkLabels.add(layout[0].classes() == null ? Labels.normalise(label) : label);
                values[0] += series.length;
                boolean full = chunkRows > 0 ? chunk.size() >= chunkRows
                        : values[0] >= autoValues || chunk.size() >= Readers.AUTO_CHUNK_MAX_ROWS;
                if (full) handOn();
            }

            private void handOn() throws IOException {
                body.rows(chunk(source, chunk, chunkLabels, layout[0], labels[0]).asRecordsFrom(handed[0]));
                handed[0] += chunk.size();
                chunk.clear();
                chunkLabels.clear();
                values[0] = 0;
            }
        });
        if (!chunk.isEmpty()) body.rows(chunk(source, chunk, chunkLabels, layout[0], labels[0]).asRecordsFrom(handed[0]));
    }

    /** A chunk of cases, labelled by the stream's running index when the file is labelled. */
    private static Dataset chunk(String source, List<float[]> cases, List<String> caseLabels, Layout layout,
                                 LabelIndex labels) {
        float[][] series = cases.toArray(float[][]::new);
        if (labels == null) return Dataset.unlabelled(source, series, layout.channels());
        int[] indices = new int[caseLabels.size()];
        for (int i = 0; i < indices.length; i++) indices[i] = labels.indexOf(caseLabels.get(i));
        return new Dataset(source, series, layout.channels(), indices, labels.names());
    }

    /**
     * A seeded uniform sample of {@code m} cases of the file, read front to back (reservoir
     * sampling, Vitter's Algorithm R: the number of cases is unknown until the end), in the file's
     * order, with their labels: memory for the sample, whatever the file's size. Case i (from 0)
     * enters the reservoir at slot i while i &lt; m, else at slot {@code random.nextLong(i + 1)} when
     * that is below m. All the cases, as {@link #read} has them, when the file has no more than m.
     * Labels numbered as written are numbered among the sample's ({@link Labels#index}); declared
     * classes keep the file's numbering.
     */
    final Dataset sample(SourceStream input, ReadOptions options, int m, SplittableRandom random) throws IOException {
        List<float[]> kept = new ArrayList<>();
        List<String> keptLabels = new ArrayList<>();
        long[][] keptCase = {new long[Math.min(m, 1024)]};
        long[] seen = {0};
        Layout[] layout = {null};
        parse(input, options, null, new Cases() {
            @Override
            public void start(Layout l) {
                layout[0] = l;
            }

            @Override
            public void accept(float[] series, String label, long lineNo) {
                long i = seen[0]++;
                int slot = RowSample.reservoirSlot(i, m, random);
                if (slot < 0) return;
                if (slot == kept.size()) {
                    kept.add(series);
                    keptLabels.add(label);
                    if (slot == keptCase[0].length) keptCase[0] = Arrays.copyOf(keptCase[0], (int) Math.min(m, 2L * slot));
                } else {
                    kept.set(slot, series);
                    keptLabels.set(slot, label);
                }
                keptCase[0][slot] = i;
            }
        });
        int size = kept.size();
        Integer[] byCase = new Integer[size];
        for (int i = 0; i < size; i++) byCase[i] = i;
        Arrays.sort(byCase, Comparator.comparingLong(i -> keptCase[0][i]));
        float[][] series = new float[size][];
        List<String> labels = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            series[i] = kept.get(byCase[i]);
            labels.add(keptLabels.get(byCase[i]));
        }
        return dataset(input.name(), series, layout[0], labels);
    }

    /** The cases as a dataset, their labels numbered as {@code layout} says. */
    private static Dataset dataset(String source, float[][] series, Layout layout, List<String> labels) {
        if (!layout.labelled()) return Dataset.unlabelled(source, series, layout.channels());
        if (layout.classes() == null) {
            Labels.Indexed indexed = Labels.index(labels);
            return new Dataset(source, series, layout.channels(), indexed.labels(), indexed.names());
        }
        LabelIndex classes = new LabelIndex(layout.classes());
        int[] indices = new int[labels.size()];
        for (int i = 0; i < indices.length; i++) indices[i] = classes.indexOf(labels.get(i));
        return new Dataset(source, series, layout.channels(), indices, classes.names());
    }
}
