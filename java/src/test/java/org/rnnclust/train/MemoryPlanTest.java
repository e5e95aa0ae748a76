package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.InsufficientMemoryException;
import org.rnnclust.Setting;
import org.rnnclust.backend.BufferMemory;
import org.rnnclust.backend.CountingOps;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.bench.RecurrentBench;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.MemoryPlan;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * The memory plan against what the code allocates: the device floats that training, embedding and
 * a benchmarked layer hold at their peak (counted by a proxy around the CPU ops) must equal the
 * plan's, and the parameter part the model's parameter arrays, so that the plan cannot drift
 * from the code without a test failing. Then the refusals: one buffer too large for any array is
 * bad input, more than the memory free is out of memory, each naming its settings.
 */
class MemoryPlanTest {
    /** Shapes that take every branch: each cell, one to three layers, bidirectional, input dropout. */
    static final List<AutoencoderSpec> SPECS = List.of(
            new AutoencoderSpec(CellType.LSTM, 1, 8, 1, false, 4),
            new AutoencoderSpec(CellType.GRU, 2, 5, 3, true, 3),
            new AutoencoderSpec(CellType.RNN, 3, 6, 2, false, 7),
            new AutoencoderSpec(CellType.LSTM, 2, 4, 3, true, 2));

    /**
     * {@code n} sequences of {@code channels} channels and 12 to 20 steps, every third of 20: in
     * batches of three of seven, some batch of three always holds one of 20 steps.
     */
    static PaddedSequences data(int n, int channels) {
        Dataset cbf = Cbf.generate(n, 20, 3);
        float[] values = new float[n * 20 * channels];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = i % 3 == 0 ? 20 : 12 + i;
            for (int t = 0; t < lengths[i]; t++) {
                for (int c = 0; c < channels; c++) values[(i * 20 + t) * channels + c] = cbf.series(i)[t] + c;
            }
        }
        return new PaddedSequences(n, 20, channels, values, lengths);
    }

    @Test
    void trainingAndEmbeddingHoldWhatThePlanSays() {
        for (AutoencoderSpec spec : SPECS) {
            // Plain, denoising (a corrupted copy), contrastive (two views and an embedding gradient).
            for (String objective : new String[] {"reconstruction", "dropout", "both", "real-fake"}) {
                // 7 sequences in batches of 3: the buffers grow to the largest batch of the longest sequence.
                PaddedSequences data = data(7, spec.channels());
                int batch = 3;
                CountingOps counting = new CountingOps(new CpuOps(1));
                TensorOps ops = counting.ops();
                try (SequenceAutoencoder model = new SequenceAutoencoder(ops, spec, 1)) {
                    double dropout = objective.equals("dropout") ? 0.2 : 0;
                    boolean contrastive = objective.equals("both");
                    boolean realFake = objective.equals("real-fake");
                    TrainConfig config = new TrainConfig(2, batch, 1e-3, 0, 1, 0, 0, 1, dropout);
                    if (contrastive) config = config.withObjective(PretrainingObjective.BOTH, 0.5);
                    if (realFake) config = config.withRealFakeTask(0.5);
                    new Trainer(ops, config, null).train(model, data);
                    Trainer.embed(ops, model, data, batch);
                    MemoryPlan plan = MemoryPlan.training(spec, batch, data.maxLength(), data.n(),
                            contrastive ? 3 : dropout > 0 || realFake ? 2 : 1, contrastive || realFake, realFake, 3);
                    assertEquals(plan.floats(MemoryPlan.Pool.DEVICE), counting.peakFloats(), spec + ", " + objective);
                    assertParametersMatch(model, plan, 4, 3);
                }
            }
        }
    }

    @Test
    void embeddingWithALoadedModelHoldsWhatThePlanSays() {
        for (AutoencoderSpec spec : SPECS) {
            PaddedSequences data = data(7, spec.channels());
            CountingOps counting = new CountingOps(new CpuOps(1));
            TensorOps ops = counting.ops();
            try (SequenceAutoencoder model = new SequenceAutoencoder(ops, spec, 1)) {
                Trainer.embed(ops, model, data, 4);
                MemoryPlan plan = MemoryPlan.embedding(spec, 4, data.maxLength(), data.n());
                assertEquals(plan.floats(MemoryPlan.Pool.DEVICE), counting.peakFloats(), spec.toString());
                assertParametersMatch(model, plan, 2, 0);
            }
        }
    }

    @Test
    void aBenchmarkedLayerHoldsWhatThePlanSays() {
        for (String shape : List.of("lstm:3,5,2,4", "gru:2,4,3,5", "rnn:4,3,1,6")) {
            RecurrentBench.Shape s = RecurrentBench.Shape.parse(shape);
            for (boolean train : new boolean[] {false, true}) {
                CountingOps counting = new CountingOps(new CpuOps(1));
                RecurrentBench.time(counting.ops(), s, train, 0, 1, 1000, 1);
                assertEquals(s.memoryPlan(train).floats(MemoryPlan.Pool.DEVICE), counting.peakFloats(),
                        shape + (train ? " training step" : " forward"));
            }
        }
    }

    /** The parameter parts: {@code deviceCopies} × and {@code heapCopies} × the model's values, the largest a tensor's. */
    private static void assertParametersMatch(SequenceAutoencoder model, MemoryPlan plan, int deviceCopies,
                                              int heapCopies) {
        long values = 0;
        long largest = 0;
        for (Parameter p : model.parameters()) {
            values += p.get().length;
            largest = Math.max(largest, p.size());
        }
        assertEquals(model.parameterCount(), values);
        MemoryPlan.Part onDevice = plan.parts().get(0);
        assertEquals(deviceCopies * values, onDevice.floats(), onDevice.what());
        assertEquals(largest, onDevice.largest(), onDevice.what());
        if (heapCopies > 0) {
            MemoryPlan.Part copies = plan.parts().stream().filter(p -> p.what().equals("copies of the weights"))
                    .findFirst().orElseThrow();
            assertEquals(heapCopies * values, copies.floats());
        }
    }

    @Test
    void aBufferNoArrayHoldsIsBadInputNamingTheSettingsThatShrinkIt() {
        // W_hh of one layer: 4·50000 × 50000 = 10^10 floats.
        MemoryPlan plan = MemoryPlan.training(new AutoencoderSpec(CellType.LSTM, 1, 50_000, 1, false, 8), 32, 128, 30,
                1, false, false, 3);
        InputException e = assertThrows(InputException.class, plan::requireBuffersFit);
        assertTrue(!(e instanceof InsufficientMemoryException), e.toString());
        assertTrue(e.getMessage().contains("10000000000 values in one buffer for its parameters"), e.getMessage());
        assertEquals(List.of(Setting.HIDDEN, Setting.LAYERS, Setting.LATENT), e.settings());
        // Absurd sizes saturate instead of overflowing into a small number.
        MemoryPlan absurd = MemoryPlan.training(new AutoencoderSpec(CellType.LSTM, 1, Integer.MAX_VALUE,
                Integer.MAX_VALUE, true, Integer.MAX_VALUE), Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                2, false, false, 3);
        assertEquals(Long.MAX_VALUE, absurd.floats(MemoryPlan.Pool.DEVICE));
        assertThrows(InputException.class, absurd::requireBuffersFit);
    }

    @Test
    void morePlannedThanFreeIsOutOfMemoryNamingTheLargestPart() {
        AutoencoderSpec spec = new AutoencoderSpec(CellType.LSTM, 1, 32, 1, false, 8);
        MemoryPlan plan = MemoryPlan.training(spec, 2, 2_000_000, 2, 1, false, false, 3);
        // By hand, in millions of floats over the 4·10^6 rows of the batch: the encoder's input 4,
        // output 128, states and cells 128 each, gate workspace, input projection and gate
        // gradients 512 each; the decoder the same with an input of 32 and one gradient between
        // layers of 128 (its input is z at every step); z's gradient at every step 32; the decoder's
        // output and reconstruction with their gradients 2·(128 + 4); the batch and its two masks
        // 12: 4312·10^6 floats, 16.1 GiB. (The prepared W_hh copies are 32 · 128 floats each.)
        assertEquals(4312, plan.floats(MemoryPlan.Pool.DEVICE) / 1_000_000);
        long needed = 4L * plan.floats(MemoryPlan.Pool.DEVICE);
        TensorOps tight = withFreeMemory(needed - 1);
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class, () -> plan.require(tight));
        assertTrue(e.getMessage().startsWith("training the LSTM autoencoder of 1 layer × 32 hidden (latent 8) on "
                + "batches of 2 sequences × 2000000 steps needs 16.1 GiB of test memory ("), e.getMessage());
        assertTrue(e.getMessage().contains("16.1 GiB for its activations), 16.1 GiB is free: lower the batch size"), e.getMessage());
        assertTrue(e.getMessage().endsWith(", or add memory"), e.getMessage());
        assertEquals(List.of(Setting.BATCH_SIZE, Setting.HIDDEN, Setting.LAYERS, Setting.LATENT,
                Setting.RESAMPLE_LENGTH), e.settings());
        plan.require(withFreeMemory(needed));  // exactly enough passes
    }

    /** Ops whose only answer is a memory with {@code free} bytes: the plan asks nothing else. */
    private static TensorOps withFreeMemory(long free) {
        return (TensorOps) java.lang.reflect.Proxy.newProxyInstance(TensorOps.class.getClassLoader(),
                new Class<?>[] {TensorOps.class}, (self, method, args) -> {
                    if (method.getName().equals("memory")) return new BufferMemory("test memory", free, "add memory");
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
