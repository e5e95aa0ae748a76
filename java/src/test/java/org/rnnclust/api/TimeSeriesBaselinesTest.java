package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.metrics.RandIndex;

/**
 * The k-Shape and DTW k-means methods end to end on shifted shapes: three patterns, each placed at
 * a random offset in a flat noisy series. Euclidean k-means on the raw series mostly clusters by
 * offset; a shift-invariant distance clusters by pattern. The algorithms themselves are checked
 * against numpy in org.rnnclust.baseline.
 */
class TimeSeriesBaselinesTest {
    private static final int LENGTH = 64;
    private static final int PATTERN = 16;
    private static final int PER_CLASS = 20;

    /** 3 × PER_CLASS series: a bump, a dip then bump, or a ramp, at an offset in 0..LENGTH−PATTERN. */
    static PaddedSequences shiftedShapes(long seed, int[] classes) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 3 * PER_CLASS;
        float[] values = new float[n * LENGTH];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            int cls = i % 3;
            classes[i] = cls;
            lengths[i] = LENGTH;
            int offset = random.nextInt(LENGTH - PATTERN + 1);
            for (int t = 0; t < LENGTH; t++) values[i * LENGTH + t] = (float) (0.1 * random.nextGaussian());
            for (int t = 0; t < PATTERN; t++) {
                double u = (double) t / (PATTERN - 1);
                double shape = switch (cls) {
                    case 0 -> Math.sin(Math.PI * u);
                    case 1 -> -Math.sin(2 * Math.PI * u);
                    default -> 2 * u - 1;
                };
                values[i * LENGTH + offset + t] += (float) (3 * shape);
            }
        }
        return new PaddedSequences(n, LENGTH, 1, values, lengths);
    }

    @Test
    void shiftInvariantMethodsFindThePatternsWhereRawKMeansDoesNot() {
        int[] classes = new int[3 * PER_CLASS];
        PaddedSequences train = shiftedShapes(1, classes);
        int[] testClasses = new int[3 * PER_CLASS];
        PaddedSequences test = shiftedShapes(2, testClasses);
        try (Device cpu = Device.open(new DeviceOptions("cpu", 2, false, 0, true))) {
            double raw = RandIndex.ari(testClasses,
                    Methods.rawKMeans(KMeansSettings.withRestarts(10)).fit(cpu, train, 3, 0).assign(test).labels());
            FittedClustering kshape = Methods.kShape(KShapeSettings.defaults()).fit(cpu, train, 3, 0);
            double shapeAri = RandIndex.ari(testClasses, kshape.assign(test).labels());
            FittedClustering dtw = Methods.dtwKMeans(new DtwKMeansSettings(0.5, 3, 50, 3)).fit(cpu, train, 3, 0);
            double dtwAri = RandIndex.ari(testClasses, dtw.assign(test).labels());
            assertTrue(raw < 0.5, "raw k-means on shifted shapes: ARI " + raw);
            assertTrue(shapeAri > 0.9, "k-Shape: ARI " + shapeAri + " (raw k-means " + raw + ")");
            assertTrue(dtwAri > raw, "DTW k-means: ARI " + dtwAri + " (raw k-means " + raw + ")");

            assertEquals("kshape", kshape.method());
            assertEquals(LENGTH, kshape.dimensions());
            assertEquals(3 * LENGTH, kshape.centroids().length);
            assertArrayEquals(kshape.trainingLabels(), kshape.assign(train).labels(),
                    "training series are assigned by SBD where the fit left them");
            assertEquals(kshape.fitInertia(), kshape.assign(train).inertia(), 1e-6);
            assertArrayEquals(dtw.trainingLabels(), dtw.assign(train).labels());
            assertEquals(dtw.fitInertia(), dtw.assign(train).inertia(), 1e-6 * dtw.fitInertia());
            // Same seed, same fit.
            assertArrayEquals(kshape.trainingLabels(),
                    Methods.kShape(KShapeSettings.defaults()).fit(cpu, train, 3, 0).trainingLabels());
        }
    }
}
