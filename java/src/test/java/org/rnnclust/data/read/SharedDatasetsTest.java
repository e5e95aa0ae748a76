package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.rnnclust.SharedData;
import org.rnnclust.data.Dataset;

/** Shapes and values of the real datasets (see their README); skipped without them. */
class SharedDatasetsTest {

    private static Dataset read(String relative) {
        return Readers.read(SharedData.require(relative), null);
    }

    private static void assertShape(Dataset d, int n, int length, int channels, int classes) {
        assertEquals(n, d.size(), "sequences");
        assertEquals(length, d.minLength(), "min length");
        assertEquals(length, d.maxLength(), "max length");
        assertEquals(channels, d.channels(), "channels");
        assertEquals(classes, d.numClasses(), "classes");
    }

    @Test
    void cbf() {
        Dataset d = read("CBF/CBF_TRAIN.tsv.gz");
        assertShape(d, 30, 128, 1, 3);
        assertEquals(List.of("1", "2", "3"), d.labelNames());
    }

    @Test
    void gunPointTsvAndTsAgreeExactly() {
        for (String split : List.of("TRAIN", "TEST")) {
            Dataset tsv = read("GunPoint/GunPoint_" + split + ".tsv.gz");
            Dataset ts = read("GunPoint/GunPoint_" + split + ".ts.gz");
            assertShape(tsv, split.equals("TRAIN") ? 50 : 150, 150, 1, 2);
            assertShape(ts, tsv.size(), 150, 1, 2);
            for (int i = 0; i < tsv.size(); i++) {
                assertArrayEquals(tsv.series(i), ts.series(i), split + " sequence " + i);
                assertEquals(TestFiles.labelOf(tsv, i), TestFiles.labelOf(ts, i), split + " label " + i);
            }
        }
    }

    @Test
    void basicMotions() {
        Dataset d = read("BasicMotions/BasicMotions_TRAIN.ts.gz");
        assertShape(d, 40, 100, 6, 4);
        assertEquals(Set.of("Badminton", "Running", "Standing", "Walking"), new HashSet<>(d.labelNames()));
    }

    @Test
    void japaneseVowelsIsMultivariateWithUnequalLengths() {
        Dataset d = read("JapaneseVowels/JapaneseVowels_TRAIN.ts.gz");
        assertEquals(270, d.size());
        assertEquals(12, d.channels());
        assertEquals(7, d.minLength());
        assertEquals(26, d.maxLength());
        assertEquals(9, d.numClasses());
    }

    @Test
    void pickupGestureHasUnequalLengths() {
        Dataset d = read("PickupGestureWiimoteZ/PickupGestureWiimoteZ_TRAIN.ts.gz");
        assertEquals(50, d.size());
        assertEquals(1, d.channels());
        assertEquals(29, d.minLength());
        assertEquals(361, d.maxLength());
        assertEquals(10, d.numClasses());
        for (int i = 0; i < d.size(); i++) {
            for (float v : d.series(i)) assertTrue(Float.isFinite(v), "sequence " + i + " holds " + v);
        }
    }

    @Test
    void mnistTestImagesWithLabels() throws IOException {
        Path images = SharedData.require("MNIST/t10k-images-idx3-ubyte.gz");
        Path labels = SharedData.require("MNIST/t10k-labels-idx1-ubyte.gz");
        Dataset d = Readers.read(images, ReadOptions.defaults().withLabelsFile(labels));
        assertShape(d, 10000, 28, 28, 10);
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.labelNames());

        // Image 0 decoded by hand: the 16-byte header, then 784 pixels per image, row by row.
        int row = 10;
        int col = 14;
        byte[] image0 = new byte[28 * 28];
        int label0;
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(images)))) {
            assertEquals(2051, in.readInt());
            assertEquals(10000, in.readInt());
            in.skipNBytes(8);
            in.readFully(image0);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(labels))) {
            in.skipNBytes(8);
            label0 = in.read();
        }
        assertTrue(image0[row * 28 + col] != 0, "the chosen pixel of image 0 is not blank");
        assertEquals(image0[row * 28 + col] & 0xff, d.series(0)[row * 28 + col]);
        for (int k = 0; k < image0.length; k++) assertEquals(image0[k] & 0xff, d.series(0)[k], "pixel " + k);
        assertEquals(Integer.toString(label0), TestFiles.labelOf(d, 0));
    }

    @Test
    void digitsCsvWithLastColumnLabel() {
        Path f = SharedData.require("digits/digits.csv.gz");
        Dataset d = Readers.read(f, new ReadOptions(Format.AUTO, null, "-1", null));
        assertShape(d, 1797, 64, 1, 10);
        float max = 0;
        for (int i = 0; i < d.size(); i++) {
            for (float v : d.series(i)) max = Math.max(max, v);
        }
        assertEquals(16f, max);
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.labelNames());
        assertEquals(Arrays.asList(0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f),
                List.of(d.series(0)[0], d.series(0)[1], d.series(0)[2], d.series(0)[3],
                        d.series(0)[4], d.series(0)[5], d.series(0)[6], d.series(0)[7]));
    }

    @Test
    void mergedTrainAndTest() {
        Path train = SharedData.require("ItalyPowerDemand/ItalyPowerDemand_TRAIN.tsv.gz");
        Path test = SharedData.require("ItalyPowerDemand/ItalyPowerDemand_TEST.tsv.gz");
        Dataset d = Readers.readMerged(train, test, null);
        assertShape(d, 67 + 1029, 24, 1, 2);
    }
}
