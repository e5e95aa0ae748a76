package org.rnnclust.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.PaddedSequences;

/** The report pages link every plot, and every plot is a real, non-empty PNG. */
public class ReportWriterTest {
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+)\"");
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** The PNGs index.html links, each checked: present, PNG signature, decodes to a non-blank image. */
    public static List<String> checkLinkedPngs(Path index) throws IOException {
        String html = Files.readString(index);
        Matcher m = IMG.matcher(html);
        List<String> linked = new ArrayList<>();
        while (m.find()) linked.add(m.group(1));
        for (String name : linked) {
            Path png = index.resolveSibling(name);
            assertTrue(Files.isRegularFile(png), name + " linked but missing");
            byte[] bytes = Files.readAllBytes(png);
            assertTrue(bytes.length > 1000, name + " is only " + bytes.length + " bytes");
            assertTrue(Arrays.equals(PNG_MAGIC, Arrays.copyOf(bytes, 8)), name + " is not a PNG");
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, name + " does not decode");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, name + " too small");
            assertTrue(distinctColours(img) > 3, name + " is blank");
        }
        return linked;
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
                if (seen.size() > 10) return seen.size();
            }
        }
        return seen.size();
    }

    @Test
    void clusteringReportLinksEveryPlot(@TempDir Path dir) throws IOException {
        int n = 60;
        int t = 20;
        int dims = 3;
        SplittableRandom r = new SplittableRandom(1);
        float[] emb = new float[n * dims];
        int[] clusters = new int[n];
        int[] labels = new int[n];
        float[] values = new float[n * t];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            clusters[i] = i % 3;
            labels[i] = (i / 2) % 2;
            for (int j = 0; j < dims; j++) emb[i * dims + j] = (float) (clusters[i] * 3 + r.nextGaussian());
            lengths[i] = t - (i % 4);  // padded sequences: the means use only the valid steps
            for (int s = 0; s < lengths[i]; s++) values[i * t + s] = (float) Math.sin(s * 0.3 * (1 + clusters[i]));
        }
        ClusteringReport report = new ClusteringReport("test <report>", Map.of("nmi", "0.5"),
                List.of(1.0, 0.6, 0.4, 0.35), emb, dims, clusters, labels, List.of("a", "b"),
                new PaddedSequences(n, t, 1, values, lengths), List.of(List.of("clusters", "NMI"), List.of("start", "0.4")),
                List.of(0.3, 0.2), Map.of("--k", "2"), null);
        Path index = ReportWriter.write(dir, report);
        List<String> linked = checkLinkedPngs(index);
        assertTrue(linked.containsAll(List.of("loss.png", "embedding_clusters.png", "embedding_labels.png",
                "confusion.png", "cluster_00.png", "cluster_01.png", "cluster_02.png", "refine_kl.png")),
                linked.toString());
        String html = Files.readString(index);
        assertTrue(html.contains("test &lt;report&gt;"), "title escaped");
        assertTrue(html.contains("<td>--k</td><td>2</td>"), "the settings table");
        assertTrue(html.contains("<td>start</td><td>0.4</td>"), "the stages table");
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".staging")), "no staging left");
        }
    }

    /** Each cluster takes the colour of the class it is matched to; clusters beyond the classes come after them. */
    @Test
    void clustersAreColouredLikeTheirMatchedClasses() {
        int[] clusters = {0, 0, 1, 1, 2, 2, 3};
        int[] labels = {1, 1, 0, 0, 2, 2, 2};
        assertArrayEquals(new int[] {1, 0, 2, 3}, ReportWriter.matchedColours(clusters, labels, 4, 3));
        assertArrayEquals(new int[] {0, 1}, ReportWriter.matchedColours(new int[] {0, 1}, new int[] {0, 1}, 2, 2));
    }

    /**
     * Several channels: the line plots follow the most variable channel (here channel 2, whose
     * spread is 3× the others'), and each cluster also gets a heat map of every channel's mean.
     */
    @Test
    void multichannelReportPlotsTheMostVariableChannelAndEveryChannelsMean(@TempDir Path dir) throws IOException {
        int n = 40;
        int t = 6;
        int ch = 3;
        SplittableRandom r = new SplittableRandom(2);
        float[] values = new float[n * t * ch];
        int[] lengths = new int[n];
        int[] clusters = new int[n];
        float[] emb = new float[n * 2];
        for (int i = 0; i < n; i++) {
            clusters[i] = i % 2;
            lengths[i] = t;
            emb[2 * i] = clusters[i] + (float) r.nextGaussian();
            emb[2 * i + 1] = (float) r.nextGaussian();
            for (int k = 0; k < t * ch; k++) {
                values[i * t * ch + k] = (float) ((k % ch == 2 ? 3 : 1) * r.nextGaussian() + (k % ch == 0 ? 100 : 0));
            }
        }
        PaddedSequences seqs = new PaddedSequences(n, t, ch, values, lengths);
        assertEquals(2, ReportWriter.mostVariableChannel(seqs), "a large mean is not a large spread");
        ClusteringReport report = new ClusteringReport("multichannel", Map.of(), List.of(), emb, 2, clusters, null,
                List.of(), seqs, List.of(), List.of(), Map.of(), null);
        Path index = ReportWriter.write(dir, report);
        List<String> linked = checkLinkedPngs(index);
        assertTrue(linked.containsAll(List.of("cluster_00.png", "cluster_00_channels.png", "cluster_01.png",
                "cluster_01_channels.png")), linked.toString());
        assertTrue(Files.readString(index).contains("channel 2 (the most variable of 3)"), "caption names the channel");
    }

    @Test
    void evaluationReportLinksTheNmiChart(@TempDir Path dir) throws IOException {
        double[][] nmi = {{0.1, 0.2}, {0.5, 0.4}, {0.9, 0.95}};
        double[][] std = {{0.01, 0.02}, {0.05, 0.04}, {0.09, 0.05}};
        double[][] agreement = {{0.75, 0.5}, {1, 0.25}, {0.9, 0.125}};
        double nan = Double.NaN;
        double[][] sensitivity = {{nan, 0.03}, {nan, 0.25}, {nan, 0}};
        EvaluationReport report = new EvaluationReport("eval", Map.of("seeds", "2"), List.of("A", "B", "C"),
                List.of("kmeans", "rnn"), nmi, std, nmi, nmi, agreement, sensitivity, "| table |");
        Path index = ReportWriter.write(dir, report);
        List<String> linked = checkLinkedPngs(index);
        assertEquals(List.of("nmi.png"), linked);
        String html = Files.readString(index);
        assertTrue(html.contains("<td>B</td><td>rnn</td><td>0.400 ± 0.040 [0.400, 0.400]</td><td>0.250</td>"
                + "<td>0.250</td>"), "the stability row of B, rnn");
        assertTrue(html.contains("<td>A</td><td>kmeans</td><td>0.100 ± 0.010 [0.100, 0.100]</td><td>0.750</td>"
                + "<td>–</td>"), "no sensitivity for kmeans: a dash");
    }

    @Test
    void manyDatasetsSplitIntoChartsOfTwelve(@TempDir Path dir) throws IOException {
        int n = 2 * ReportWriter.NMI_DATASETS_PER_CHART + 5;
        List<String> names = new java.util.ArrayList<>();
        double[][] nmi = new double[n][2];
        for (int i = 0; i < n; i++) {
            names.add("set" + i);
            nmi[i] = new double[] {i / (double) n, 0.5};
        }
        double[][] nan = new double[n][2];
        for (double[] row : nan) java.util.Arrays.fill(row, Double.NaN);
        EvaluationReport report = new EvaluationReport("eval", Map.of(), names, List.of("kmeans", "rnn"), nmi,
                new double[n][2], nmi, nmi, nan, nan, "");
        List<String> linked = checkLinkedPngs(ReportWriter.write(dir, report));
        assertEquals(List.of("nmi_1.png", "nmi_2.png", "nmi_3.png"), linked);
    }
}
