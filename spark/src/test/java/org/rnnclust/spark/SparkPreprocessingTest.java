package org.rnnclust.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;

/**
 * Per-channel statistics fitted over a table's partitions equal one machine's fit of the same rows:
 * standardize's mean and std to 1e-12 relative, minmax's range exactly, the longest series for
 * resampling; two channels of ragged series in three partitions.
 */
class SparkPreprocessingTest {
    @Test
    void partitionsFitWhatOneMachineFits() {
        SparkSession spark = LocalSpark.session();
        SplittableRandom r = new SplittableRandom(4);
        float[][] series = new float[50][];
        int[] labels = new int[50];
        for (int i = 0; i < series.length; i++) {
            series[i] = new float[2 * (4 + i % 7)];
            for (int t = 0; t < series[i].length; t++) {
                series[i][t] = (float) (t % 2 == 0 ? 500 + 3 * r.nextGaussian() : -2 + 0.1 * r.nextGaussian());
            }
            labels[i] = i % 2;
        }
        Dataset data = new Dataset("ragged", series, 2, labels, java.util.List.of("a", "b"));
        var table = SequenceTables.of(spark, data, SequenceColumns.defaults(), true, 3);
        for (Normalization how : new Normalization[] {Normalization.STANDARDIZE, Normalization.MINMAX}) {
            PreprocessOptions options = new PreprocessOptions(how, 0, MissingValues.REFUSE, LengthPolicy.RESAMPLE, 0);
            Preprocessor single = Preprocessor.fit(options, data);
            Preprocessor spread = SparkPreprocessing.fit(table, SequenceColumns.defaults(), 2, options);
            assertEquals(single.resampleSteps(), spread.resampleSteps(), "the longest series");
            for (int c = 0; c < 2; c++) {
                assertEquals(single.shift()[c], spread.shift()[c], 1e-12 * Math.abs(single.shift()[c]), how + " shift");
                assertEquals(single.scale()[c], spread.scale()[c], 1e-12 * single.scale()[c], how + " scale");
            }
        }
    }
}
