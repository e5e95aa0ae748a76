package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Autoencoder;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.nn.TemporalAutoencoder;
import org.rnnclust.nn.TemporalAutoencoderSpec;
import org.rnnclust.testing.FiniteDifferences;

/**
 * The gradient of a pretraining batch with two encoder passes, as the trainer accumulates it,
 * against central finite differences of the batch loss the trainer reports: contrastive (NT-Xent
 * between two views, alone or plus the reconstruction of the clean batch from the second view)
 * and DTCR's real-versus-fake task beside the reconstruction (the classifier's parameters
 * included). The views and fakes are drawn from (seed, epoch, batch), so every evaluation sees
 * the same ones. For the sequence autoencoder (padded series) and DTC's temporal autoencoder.
 */
class PretrainingGradientTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"sequence,contrastive", "sequence,both", "temporal,contrastive", "temporal,both",
            "sequence,real-fake", "temporal,real-fake"})
    void batchGradientMatchesFiniteDifferences(String network, String objective) {
        int n = 4;
        int steps = 12;
        boolean temporal = network.equals("temporal");
        int[] lengths = temporal ? new int[] {12, 12, 12, 12} : new int[] {12, 7, 10, 12};
        SplittableRandom r = new SplittableRandom(8);
        float[] v = new float[n * steps];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < lengths[i]; t++) v[i * steps + t] = (float) Math.sin(0.5 * t * (1 + i % 2)) + (float) (0.3 * r.nextGaussian());
        }
        PaddedSequences data = new PaddedSequences(n, steps, 1, v, lengths);
        boolean realFake = objective.equals("real-fake");
        TrainConfig config = realFake ? new TrainConfig(1, n, 1e-3, 0, 0, 0, 1e-3, 3).withRealFakeTask(0.7)
                : new TrainConfig(1, n, 1e-3, 0, 0, 0, 1e-3, 3).withObjective(PretrainingObjective.parse(objective), 0.5);
        try (CpuOps ops = new CpuOps(1);
             Autoencoder model = temporal
                     ? new TemporalAutoencoder(ops, new TemporalAutoencoderSpec(1, steps, 3, 3, 3, 3, 0.3f, 3, 1), 5)
                     : new SequenceAutoencoder(ops, new AutoencoderSpec(CellType.LSTM, 1, 5, 1, false, 3), 5);
             BatchLoader loader = new BatchLoader(ops, data, n);
             DeviceBuffer gradient = ops.allocate((long) n * model.embeddingSize());
             RealFakeTask task = realFake ? new RealFakeTask(ops, model.embeddingSize(), n, 0.7, 9) : null) {
            int[] order = {0, 1, 2, 3};
            SequenceMask mask = loader.load(order, 0, n);
            Trainer.Pretraining batch = new Trainer(ops, config, null).new Pretraining(model, data,
                    realFake ? null : gradient, task);
            java.util.Map<String, Parameter> parameters = new java.util.LinkedHashMap<>(model.namedParameters());
            if (task != null) for (Parameter p : task.parameters()) parameters.put("real_fake." + p.name(), p);
            double loss = batch.forwardBackward(loader, mask, order, 0, n, 2, 1).loss();
            assertTrue(loss > 0);
            double worst = 0;
            for (var e : parameters.entrySet()) {
                Parameter p = e.getValue();
                // Every element of small tensors, an even spread of the others (the runtime stays small).
                int stride = Math.max(1, Math.toIntExact(p.size()) / 40);
                double rel = FiniteDifferences.relativeError(p, p.gradient(),
                        () -> batch.forwardBackward(loader, mask, order, 0, n, 2, 1).loss(), 1e-2, stride);
                worst = Math.max(worst, rel);
                assertTrue(rel < 3e-2, e.getKey() + ": relative error " + rel);
            }
            // The reported loss is the one the gradient belongs to: the same draws give the same number.
            assertEquals(loss, batch.forwardBackward(loader, mask, order, 0, n, 2, 1).loss());
            assertTrue(worst < 3e-2);
            if (objective.equals("contrastive")) {
                // The decoder takes no part: its gradient stays 0.
                model.namedParameters().forEach((name, p) -> {
                    if (name.startsWith("decoder.") || name.startsWith("output.") || name.startsWith("deconv.")) {
                        float[] g = p.gradient();
                        assertTrue(Arrays.equals(g, new float[g.length]), name);
                    }
                });
            }
        }
    }
}
