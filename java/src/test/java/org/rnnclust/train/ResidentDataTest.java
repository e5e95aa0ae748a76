package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * A training set kept on the device, each batch gathered there by index
 * ({@link org.rnnclust.backend.TensorOps#gatherSequences}), against the batches uploaded from the
 * host: the same batch buffers bit for bit (variable lengths, several channels, indices out of
 * order, a short last batch), the same noisy variants made from the host copy, the same mask; and
 * whole training runs (plain, input dropout, contrastive, real-versus-fake) end with the same weights.
 * The CPU keeps no resident copy unless a test asks it to; bad indices are refused before any copy.
 */
class ResidentDataTest {
    static PaddedSequences ragged(int n, int t, int c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] values = new float[n * t * c];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = 1 + r.nextInt(t);
            for (int k = 0; k < lengths[i] * c; k++) values[i * t * c + k] = (float) r.nextGaussian();
        }
        return new PaddedSequences(n, t, c, values, lengths);
    }

    @Test
    void gatheredBatchesAreTheUploadedOnes() {
        PaddedSequences data = ragged(29, 13, 3, 5);
        int batch = 8;
        try (CpuOps up = new CpuOps(2); CpuOps keep = CpuOps.keepingDataResident(2);
             BatchLoader uploaded = new BatchLoader(up, data, batch, true);
             BatchLoader gathered = new BatchLoader(keep, data, batch, true)) {
            assertFalse(uploaded.resident(), "the CPU keeps no second copy by default");
            assertTrue(gathered.resident());
            SplittableRandom r = new SplittableRandom(9);
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] order = permutation(data.n(), r);
                for (int from = 0; from < data.n(); from += batch) {
                    int count = Math.min(batch, data.n() - from);
                    var a = uploaded.load(order, from, count);
                    var b = gathered.load(order, from, count);
                    assertEquals(a.steps(), b.steps());
                    assertArrayEquals(up.toHost(a.timeMajor()), keep.toHost(b.timeMajor()), "mask");
                    assertArrayEquals(up.toHost(uploaded.input()), keep.toHost(gathered.input()),
                            "batch at " + from + " of epoch " + epoch);
                    long seed = r.nextLong();
                    assertArrayEquals(up.toHost(uploaded.corrupted(0.3, new SplittableRandom(seed))),
                            keep.toHost(gathered.corrupted(0.3, new SplittableRandom(seed))), "corrupted");
                    assertArrayEquals(up.toHost(uploaded.view(1, new SplittableRandom(seed))),
                            keep.toHost(gathered.view(1, new SplittableRandom(seed))), "view");
                    assertArrayEquals(up.toHost(uploaded.fakes(new SplittableRandom(seed))),
                            keep.toHost(gathered.fakes(new SplittableRandom(seed))), "fakes");
                }
            }
        }
    }

    @Test
    void gatherSequencesIsTheHostCopyAndRefusesBadIndices() {
        PaddedSequences data = ragged(6, 5, 2, 3);
        int[] index = {9, 4, 0, 4, 2, 9};  // a batch of 4 from position 1: 4, 0, 4, 2
        try (CpuOps ops = new CpuOps(1); DeviceBuffer src = ops.allocate(data.values().length);
             DeviceBuffer dst = ops.allocate(4 * 4 * 2 + 3)) {
            ops.upload(data.values(), src);
            ops.gatherSequences(src, 5, 2, index, 1, 4, 4, dst, 3);
            float[] got = ops.toHost(dst);
            for (int s = 0; s < 4; s++) {
                for (int b = 0; b < 4; b++) {
                    for (int j = 0; j < 2; j++) {
                        assertEquals(data.values()[(index[1 + b] * 5 + s) * 2 + j], got[3 + (s * 4 + b) * 2 + j]);
                    }
                }
            }
            assertEquals(0f, got[0]);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.gatherSequences(src, 5, 2, index, 0, 2, 4, dst, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> ops.gatherSequences(src, 5, 2, index, 4, 3, 4, dst, 0));
            assertThrows(IllegalArgumentException.class, () -> ops.gatherSequences(src, 5, 2, index, 1, 4, 6, dst, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> ops.gatherSequences(src, 5, 2, index, 1, 4, 5, dst, 0));
            assertThrows(IllegalArgumentException.class, () -> ops.gatherSequences(src, 5, 2, index, 1, 4, 4, src, 0));
        }
    }

    @Test
    void trainingOnGatheredBatchesEndsWithTheSameWeights() {
        TrainConfig plain = new TrainConfig(3, 7, 1e-2, 0, 1.0, 0, 1e-3, 11);
        TrainConfig dropout = new TrainConfig(3, 7, 1e-2, 0, 1.0, 0, 1e-3, 11, 0.2);
        TrainConfig contrastive = new TrainConfig(2, 7, 1e-2, 0, 1.0, 0, 1e-3, 11, 0,
                PretrainingObjective.BOTH, TrainConfig.DEFAULT_TEMPERATURE);
        TrainConfig realFake = plain.withRealFakeTask(0.5);
        AutoencoderSpec spec = new AutoencoderSpec(CellType.GRU, 1, 8, 1, true, 4);
        for (TrainConfig cfg : new TrainConfig[] {plain, dropout, contrastive, realFake}) {
            Map<String, float[]> a;
            Map<String, float[]> b;
            try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, spec, cfg.seed())) {
                new Trainer(ops, cfg, null).train(m, TrainerTest.data());
                a = TrainedModel.weightsOf(m);
            }
            try (CpuOps ops = CpuOps.keepingDataResident(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, spec, cfg.seed())) {
                new Trainer(ops, cfg, null).train(m, TrainerTest.data());
                b = TrainedModel.weightsOf(m);
            }
            TrainerTest.assertSameWeights(a, b);
        }
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
