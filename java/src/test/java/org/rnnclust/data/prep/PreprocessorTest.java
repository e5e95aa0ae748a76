package org.rnnclust.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;

/** Each step against values worked out by hand or by its definition. */
class PreprocessorTest {
    static Dataset of(int channels, float[]... series) {
        return Dataset.unlabelled("test-data", series, channels);
    }

    @Test
    void znormPerSeriesAndChannel() {
        // Two channels, interleaved: channel 0 = 1,2,3,4 ; channel 1 = 10,10,10,10 (constant).
        Dataset d = of(2, new float[] {1, 10, 2, 10, 3, 10, 4, 10});
        Dataset z = Preprocessor.fit(PreprocessOptions.defaults(), d).apply(d);
        double std = Math.sqrt(1.25); // population std of 1,2,3,4
        float[] expected = {(float) (-1.5 / std), 0, (float) (-0.5 / std), 0, (float) (0.5 / std), 0,
                (float) (1.5 / std), 0};
        assertArrayEquals(expected, z.series(0), 1e-6f);
    }

    @Test
    void standardizeIsFittedOnTrainAndReusedOnTest() {
        Dataset train = of(1, new float[] {0, 2}, new float[] {4, 6}); // mean 3, std sqrt(5)
        Dataset test = of(1, new float[] {3, 8});
        Preprocessor p = Preprocessor.fit(PreprocessOptions.defaults().withNormalization(Normalization.STANDARDIZE), train);
        assertArrayEquals(new float[] {0, (float) (5 / Math.sqrt(5))}, p.apply(test).series(0), 1e-6f);
    }

    @Test
    void minMaxPerChannel() {
        Dataset train = of(2, new float[] {0, 100, 10, 300}, new float[] {5, 200});
        Preprocessor p = Preprocessor.fit(PreprocessOptions.defaults().withNormalization(Normalization.MINMAX), train);
        assertArrayEquals(new float[] {0, 0, 1, 1}, p.apply(train).series(0), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.5f}, p.apply(train).series(1), 1e-6f);
    }

    /**
     * Per-channel statistics fitted a chunk at a time (the streaming pass) equal those of the whole
     * data: the standardisation's mean and std to 1e-12 relative against their definition, the
     * min-max range exactly; ragged lengths, two channels, chunks of 1, 3 and 7 sequences.
     */
    @Test
    void chunkedFittingEqualsTheWholeData() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        float[][] series = new float[20][];
        for (int i = 0; i < series.length; i++) {
            series[i] = new float[2 * (3 + i % 5)];
            for (int t = 0; t < series[i].length; t++) {
                series[i][t] = (float) (t % 2 == 0 ? 1000 + r.nextGaussian() : -3 + 0.01 * r.nextGaussian());
            }
        }
        Dataset all = of(2, series);
        double[] mean = new double[2];
        double[] sq = new double[2];
        long[] count = new long[2];
        for (float[] s : series) for (int t = 0; t < s.length; t++) { mean[t % 2] += s[t]; count[t % 2]++; }
        for (int c = 0; c < 2; c++) mean[c] /= count[c];
        for (float[] s : series) for (int t = 0; t < s.length; t++) sq[t % 2] += Math.pow(s[t] - mean[t % 2], 2);
        for (Normalization how : new Normalization[] {Normalization.STANDARDIZE, Normalization.MINMAX}) {
            PreprocessOptions options = PreprocessOptions.defaults().withNormalization(how);
            Preprocessor whole = Preprocessor.fit(options, all);
            for (int rows : new int[] {1, 3, 7}) {
                Preprocessor.Fitting fitting = new Preprocessor.Fitting(options, 2);
                for (int from = 0; from < series.length; from += rows) {
                    fitting.add(of(2, java.util.Arrays.copyOfRange(series, from, Math.min(series.length, from + rows))));
                }
                Preprocessor chunked = fitting.fitted();
                for (int c = 0; c < 2; c++) {
                    if (how == Normalization.STANDARDIZE) {
                        assertEquals(mean[c], chunked.shift()[c], 1e-12 * Math.abs(mean[c]), how + " mean, chunks of " + rows);
                        double std = Math.sqrt(sq[c] / count[c]);
                        assertEquals(std, chunked.scale()[c], 1e-12 * std, how + " std, chunks of " + rows);
                    } else {
                        assertEquals(whole.shift()[c], chunked.shift()[c], how + " min, chunks of " + rows);
                        assertEquals(whole.scale()[c], chunked.scale()[c], how + " range, chunks of " + rows);
                    }
                }
            }
        }
    }

    @Test
    void madClippingBoundsOutliers() {
        // median 3, |x - 3| = 2,1,0,1,97 -> MAD 1 -> sigma 1.4826; k = 2 clips to 3 ± 2.9652.
        Dataset d = of(1, new float[] {1, 2, 3, 4, 100});
        PreprocessOptions o = PreprocessOptions.defaults().withNormalization(Normalization.NONE).withClipMad(2);
        float[] s = Preprocessor.fit(o, d).apply(d).series(0);
        assertArrayEquals(new float[] {1, 2, 3, 4, (float) (3 + 2 * 1.4826)}, s, 1e-5f);
    }

    @Test
    void missingValuesRefusedByDefaultWithRecordNamed() {
        Dataset d = of(1, new float[] {1, 2}, new float[] {1, Float.NaN, 3});
        InputException e = assertThrows(InputException.class,
                () -> Preprocessor.fit(PreprocessOptions.defaults(), d).apply(d));
        assertTrue(e.getMessage().contains("test-data: record 2"), e.getMessage());
        assertTrue(e.getMessage().contains("step 2"), e.getMessage());
        assertTrue(e.getMessage().contains("interpolating missing values"), e.getMessage());
        assertEquals(List.of(Setting.MISSING_VALUES), e.settings());
        assertFalse(e.getMessage().contains("--"), "no flag below the CLI: " + e.getMessage());
    }

    @Test
    void interpolationIsLinearAndEdgesTakeNearest() {
        float nan = Float.NaN;
        Dataset d = of(1, new float[] {nan, 1, nan, nan, 4, nan});
        PreprocessOptions o = PreprocessOptions.defaults().withNormalization(Normalization.NONE)
                .withMissing(MissingValues.INTERPOLATE);
        assertArrayEquals(new float[] {1, 1, 2, 3, 4, 4}, Preprocessor.fit(o, d).apply(d).series(0), 1e-6f);
        Dataset allMissing = of(1, new float[] {nan, nan});
        assertThrows(InputException.class, () -> Preprocessor.fit(o, allMissing));
    }

    @Test
    void infinityIsNeverInterpolated() {
        Dataset d = of(1, new float[] {1, Float.POSITIVE_INFINITY, 3});
        PreprocessOptions o = PreprocessOptions.defaults().withMissing(MissingValues.INTERPOLATE);
        InputException e = assertThrows(InputException.class, () -> Preprocessor.fit(o, d));
        assertTrue(e.getMessage().contains("infinite"), e.getMessage());
        assertEquals(List.of(), e.settings(), "no setting lets an infinity through");
    }

    @Test
    void resampleKeepsEndpointsAndIsLinear() {
        Dataset d = of(1, new float[] {0, 10}, new float[] {0, 1, 2, 3, 4});
        PreprocessOptions o = PreprocessOptions.defaults().withNormalization(Normalization.NONE).withResample(3);
        Dataset r = Preprocessor.fit(o, d).apply(d);
        assertArrayEquals(new float[] {0, 5, 10}, r.series(0), 1e-6f);
        assertArrayEquals(new float[] {0, 2, 4}, r.series(1), 1e-6f);
    }

    @Test
    void paddingKeepsLengthsAndZeroFills() {
        Dataset d = new Dataset("x", new float[][] {{1, 2}, {3, 4, 5, 6}}, 2, new int[] {0, 1}, List.of("a", "b"));
        PaddedSequences p = PaddedSequences.of(d);
        assertEquals(2, p.maxLength());
        assertArrayEquals(new int[] {1, 2}, p.lengths());
        assertArrayEquals(new float[] {1, 2, 0, 0, 3, 4, 5, 6}, p.values());
        assertThrows(IllegalArgumentException.class, () -> PaddedSequences.of(d, 1));
    }
}
