package org.rnnclust.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.Format;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;

/**
 * Finds the datasets under a folder (the folder itself and each subfolder, one level down):
 * <ul>
 *   <li>UCR/UEA pairs {@code NAME_TRAIN.tsv} + {@code NAME_TEST.tsv} (or {@code .ts}, {@code .txt},
 *       {@code .arff}; each optionally {@code .gz}); when a set comes in several formats the first of
 *       tsv, ts, txt, arff
 *       is used;</li>
 *   <li>IDX digit sets {@code PREFIX-images-idx3-ubyte} with {@code PREFIX-labels-idx1-ubyte}: with
 *       both a {@code train} and a {@code t10k} prefix they are a TRAIN/TEST pair, otherwise each is
 *       a set without split;</li>
 *   <li>CSV files (labels in the last column), sets without split. Rows of a square number s² of
 *       values are images, read row by row as s steps of s features, like IDX.</li>
 * </ul>
 * Other files (READMEs) are ignored.
 */
public final class DatasetCatalog {
    private static final Pattern UCR = Pattern.compile("(.+)_TRAIN\\.(tsv|ts|txt|arff)(\\.gz)?");
    private static final Pattern IDX = Pattern.compile("(.*?)-?images[-.]idx3-ubyte(\\.gz)?");
    private static final Pattern CSV = Pattern.compile("(.+)\\.csv(\\.gz)?");
    private static final List<String> UCR_PREFERENCE = List.of("tsv", "ts", "txt", "arff");

    private DatasetCatalog() {}

    /** One dataset: a TRAIN file and a TEST file, or one file ({@code test} null) scored on itself. */
    public record Entry(String name, Path train, Path trainLabels, Path test, Path testLabels, Kind kind) {
        public boolean hasSplit() { return test != null; }

        public Dataset readTrain() { return read(train, trainLabels); }

        public Dataset readTest() { return test == null ? null : read(test, testLabels); }

        private Dataset read(Path file, Path labels) {
            return switch (kind) {
                case SERIES -> Readers.read(file, ReadOptions.defaults());
                case IDX_IMAGES -> Readers.read(file, ReadOptions.defaults().withLabelsFile(labels));
                case CSV_IMAGES -> asImageRows(Readers.read(file,
                        new ReadOptions(Format.CSV, null, "-1", null)));
            };
        }
    }

    /** How the files are read; images are also normalised differently (see Evaluation). */
    public enum Kind { SERIES, IDX_IMAGES, CSV_IMAGES }

    /** Every dataset under {@code dir}, sorted by name. */
    public static List<Entry> find(Path dir) {
        if (!Files.isDirectory(dir)) throw new InputException(dir + ": not a folder");
        List<Path> folders = new ArrayList<>();
        folders.add(dir);
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).sorted().forEach(folders::add);
        } catch (IOException e) {
            throw new InputException(dir + ": cannot list: " + e.getMessage());
        }
        Map<String, Entry> found = new LinkedHashMap<>();
        for (Path folder : folders) {
            for (Entry e : inFolder(folder)) found.putIfAbsent(e.name(), e);
        }
        List<Entry> out = new ArrayList<>(found.values());
        out.sort(Comparator.comparing(e -> e.name().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }

    private static List<Entry> inFolder(Path folder) {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new InputException(folder + ": cannot list: " + e.getMessage());
        }
        List<Entry> out = new ArrayList<>();
        Map<String, Path> ucrTrain = new LinkedHashMap<>();
        for (Path f : files) {
            Matcher m = UCR.matcher(f.getFileName().toString());
            if (!m.matches()) continue;
            String name = m.group(1);
            Path test = f.resolveSibling(name + "_TEST." + m.group(2) + (m.group(3) == null ? "" : m.group(3)));
            if (!Files.isRegularFile(test)) continue;
            Path have = ucrTrain.get(name);
            if (have == null || rank(f) < rank(have)) ucrTrain.put(name, f);
        }
        for (Map.Entry<String, Path> e : ucrTrain.entrySet()) {
            Path train = e.getValue();
            String testName = train.getFileName().toString().replace("_TRAIN.", "_TEST.");
            out.add(new Entry(e.getKey(), train, null, train.resolveSibling(testName), null, Kind.SERIES));
        }
        Map<String, Path[]> idx = new LinkedHashMap<>();  // prefix → images, labels
        for (Path f : files) {
            Matcher m = IDX.matcher(f.getFileName().toString());
            if (!m.matches()) continue;
            String labels = f.getFileName().toString().replace("images", "labels").replace("idx3", "idx1");
            Path l = f.resolveSibling(labels);
            if (Files.isRegularFile(l)) idx.put(m.group(1), new Path[] {f, l});
        }
        String folderName = folder.getFileName() == null ? "data" : folder.getFileName().toString();
        if (idx.containsKey("train") && idx.containsKey("t10k")) {
            Path[] tr = idx.remove("train");
            Path[] te = idx.remove("t10k");
            out.add(new Entry(folderName, tr[0], tr[1], te[0], te[1], Kind.IDX_IMAGES));
        }
        for (Map.Entry<String, Path[]> e : idx.entrySet()) {
            String name = idx.size() == 1 ? folderName : folderName + "-" + e.getKey();
            out.add(new Entry(name, e.getValue()[0], e.getValue()[1], null, null, Kind.IDX_IMAGES));
        }
        for (Path f : files) {
            Matcher m = CSV.matcher(f.getFileName().toString());
            if (m.matches()) out.add(new Entry(m.group(1), f, null, null, null, Kind.CSV_IMAGES));
        }
        return out;
    }

    private static int rank(Path ucrFile) {
        Matcher m = UCR.matcher(ucrFile.getFileName().toString());
        return m.matches() ? UCR_PREFERENCE.indexOf(m.group(2)) : Integer.MAX_VALUE;
    }

    /** Univariate rows of s² values become s steps × s channels (the same values, row-major = time-major). */
    static Dataset asImageRows(Dataset d) {
        if (d.channels() != 1 || !d.equalLength()) return d;
        int len = d.maxLength();
        int s = (int) Math.round(Math.sqrt(len));
        if (s < 2 || s * s != len) return d;
        float[][] series = new float[d.size()][];
        for (int i = 0; i < d.size(); i++) series[i] = d.series(i);
        return new Dataset(d.name(), series, s, d.labels(), d.hasLabels() ? d.labelNames() : null);
    }
}
