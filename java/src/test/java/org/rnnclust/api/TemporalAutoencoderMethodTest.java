package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.TemporalAutoencoder;
import org.rnnclust.nn.TemporalAutoencoderSpec;
import org.rnnclust.nn.WeightInit;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingResult;
import org.rnnclust.testing.CpuDevice;

/**
 * rnn-tae as a pipeline: DTC's temporal autoencoder (checked against PyTorch in
 * TemporalAutoencoderPyTorchTest) pretrained exactly as its settings say (whole epochs covering
 * the optimizer steps, Adam, no clipping, no early stop), then k-means on the embeddings.
 */
class TemporalAutoencoderMethodTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(false);



    @Test
    void epochsCoverTheOptimizerSteps() {
        TemporalAutoencoderSettings s = TemporalAutoencoderSettings.lafabregue();
        assertEquals(334, s.epochs(30));   // 3 batches an epoch: 1,002 steps
        assertEquals(10, s.epochs(1000));  // 100 batches an epoch
        assertEquals(1000, s.epochs(7));   // one batch an epoch
        assertEquals(91, s.epochs(105));   // 11 batches an epoch: 1,001 steps
    }

    @Test
    void embedsWithTheNetworkItsSettingsTrain() {
        PaddedSequences train = ReservoirMethodTest.sines(30, 1);
        PaddedSequences test = ReservoirMethodTest.sines(12, 2);
        TemporalAutoencoderSettings s = new TemporalAutoencoderSettings(12, 4, 2e-3, WeightInit.KERAS);
        long seed = 5;
        try (FittedClustering fit = Methods.temporalAutoencoder(s, KMeansSettings.withRestarts(3), 0)
                .fit(CPU.get(), train, 3, seed);
             TemporalAutoencoder net = new TemporalAutoencoder(CPU.get().backend().tensorOps(),
                     TemporalAutoencoderSpec.dtc(1, 90), seed, WeightInit.KERAS)) {
            TrainingResult r = new Trainer(CPU.get().backend().tensorOps(),
                    new TrainConfig(2, 4, 2e-3, 0, 0, 0, TrainConfig.DEFAULT_MIN_DELTA, seed), null).train(net, train);
            assertEquals(2, fit.steps(), "8 batches an epoch: 2 epochs cover 12 steps");
            assertEquals(r.lossHistory(), fit.lossHistory());
            assertEquals(900, fit.dimensions(), "9 pooled steps of 100 numbers");
            assertArrayEquals(Trainer.embed(CPU.get().backend().tensorOps(), net, test, 4), fit.embed(test));
            assertArrayEquals(fit.trainingLabels(), fit.assign(train).labels(), "training clusters = its own assignment");
        }
    }

    @Test
    void readsShorterSeriesZeroPaddedAsRawKMeansDoes() {
        PaddedSequences full = ReservoirMethodTest.sines(12, 4);
        int[] lengths = new int[12];
        for (int i = 0; i < 12; i++) lengths[i] = 60 + 2 * i;
        float[] values = full.values().clone();
        for (int i = 0; i < 12; i++) Arrays.fill(values, i * 90 + lengths[i], (i + 1) * 90, 0f);
        PaddedSequences ragged = new PaddedSequences(12, 90, 1, values, lengths);
        PaddedSequences padded = new PaddedSequences(12, 90, 1, values, new int[] {90, 90, 90, 90, 90, 90, 90, 90, 90,
                90, 90, 90});
        TemporalAutoencoderSettings s = new TemporalAutoencoderSettings(3, 4, 1e-3, WeightInit.KERAS);
        try (FittedClustering a = Methods.temporalAutoencoder(s, KMeansSettings.withRestarts(2), 0).fit(CPU.get(), ragged, 2, 7);
             FittedClustering b = Methods.temporalAutoencoder(s, KMeansSettings.withRestarts(2), 0).fit(CPU.get(), padded, 2, 7)) {
            assertArrayEquals(b.embed(padded), a.embed(ragged));
            assertEquals(b.lossHistory(), a.lossHistory());
        }
    }

    @Test
    void theSensitivityProbeMovesTheInitialWeights() {
        PaddedSequences train = ReservoirMethodTest.sines(20, 3);
        TemporalAutoencoderSettings s = new TemporalAutoencoderSettings(2, 10, 1e-3, WeightInit.PYTORCH);
        try (FittedClustering plain = Methods.temporalAutoencoder(s, KMeansSettings.withRestarts(2), 0).fit(CPU.get(), train, 3, 1);
             FittedClustering again = Methods.temporalAutoencoder(s, KMeansSettings.withRestarts(2), 0).fit(CPU.get(), train, 3, 1);
             FittedClustering moved = Methods.temporalAutoencoder(s, KMeansSettings.withRestarts(2), 1).fit(CPU.get(), train, 3, 1)) {
            assertArrayEquals(plain.embed(train), again.embed(train), "one seed, one network");
            assertFalse(Arrays.equals(plain.embed(train), moved.embed(train)));
        }
    }
}
