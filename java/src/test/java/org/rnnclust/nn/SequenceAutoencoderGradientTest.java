package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.FiniteDifferences;

/**
 * The autoencoder's backward (decoder, the sum over repeated z, the latent layer, the encoder's
 * final states) against central finite differences of its loss, for every parameter tensor; also
 * for a denoising step, where the input is a corrupted copy and the loss is against the clean batch
 * (a backward that scored against its input would fail there).
 */
class SequenceAutoencoderGradientTest {

    @ParameterizedTest(name = "{0} layers={1} bidirectional={2} denoising={3}")
    @CsvSource({"lstm,1,false,false", "gru,2,true,false", "rnn,1,true,false", "lstm,1,true,true", "gru,1,false,true"})
    void backwardMatchesFiniteDifferences(String cell, int layers, boolean bidirectional, boolean denoising) {
        int batch = 3;
        int steps = 5;
        int channels = 2;
        int[] lengths = {5, 2, 4};
        try (CpuOps ops = new CpuOps(1);
             SequenceAutoencoder model = new SequenceAutoencoder(ops,
                     new AutoencoderSpec(CellType.parse(cell), channels, 4, layers, bidirectional, 3), 7);
             SequenceMask mask = new SequenceMask(ops, lengths, steps);
             DeviceBuffer x = ops.allocate((long) steps * batch * channels);
             DeviceBuffer target = ops.allocate((long) steps * batch * channels)) {
            SplittableRandom rng = new SplittableRandom(3);
            float[] hx = new float[steps * batch * channels];
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    for (int c = 0; c < channels; c++) {
                        hx[(t * batch + b) * channels + c] = t < lengths[b] ? (float) rng.nextGaussian() : 0f;
                    }
                }
            }
            ops.upload(hx, target);
            if (denoising) {
                for (int i = 0; i < hx.length; i += 3) hx[i] = 0f;  // the corrupted input
            }
            ops.upload(hx, x);
            model.zeroGrad();
            model.forward(x, target, mask);
            model.backward();
            double worst = 0;
            for (var e : model.namedParameters().entrySet()) {
                Parameter p = e.getValue();
                double rel = FiniteDifferences.relativeError(p, p.gradient(), () -> model.forward(x, target, mask), 1e-2, 1);
                worst = Math.max(worst, rel);
                assertTrue(rel < 2e-2, e.getKey() + ": relative error " + rel);
            }
            assertTrue(worst < 2e-2);
        }
    }
}
