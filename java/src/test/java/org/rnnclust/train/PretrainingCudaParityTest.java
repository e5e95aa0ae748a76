package org.rnnclust.train;

import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.backend.cuda.CudaBackend;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Autoencoder;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.nn.TemporalAutoencoder;
import org.rnnclust.nn.TemporalAutoencoderSpec;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * A pretraining batch with two encoder passes (contrastive views, DTCR's fakes) on the GPU's tensor
 * ops against the CPU's (PretrainingGradientTest checks the CPU against finite differences): the
 * same weights and draws give the same loss and gradients within a training step's tolerance.
 * Skipped, with the reason, where there is no GPU; ci/gpu-check.sh runs it.
 */
@Tag("gpu")
class PretrainingCudaParityTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"sequence,both", "sequence,contrastive", "temporal,both", "sequence,real-fake", "temporal,real-fake"})
    void aBatchOnTheGpuMatchesTheCpu(String network, String objective) {
        assumeGpu("pretraining batches on CUDA");
        try (CpuOps cpu = new CpuOps(1); CudaBackend gpu = new CudaBackend(0, false, 0)) {
            Map<String, float[]> onCpu = gradients(cpu, network, objective);
            Map<String, float[]> onGpu = gradients(gpu.tensorOps(), network, objective);
            for (var e : onCpu.entrySet()) {
                double[] want = new double[e.getValue().length];
                for (int i = 0; i < want.length; i++) want[i] = e.getValue()[i];
                RelativeError.check(network + " " + objective + " d" + e.getKey(), onGpu.get(e.getKey()), want,
                        Tolerances.TRAINING_STEP);
            }
        }
    }

    /** Every parameter's gradient after one batch, the loss under "loss". */
    static Map<String, float[]> gradients(TensorOps ops, String network, String objective) {
        int n = 6;
        int steps = 24;
        boolean temporal = network.equals("temporal");
        SplittableRandom r = new SplittableRandom(8);
        float[] v = new float[n * steps];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = temporal ? steps : steps - 3 * (i % 3);
            for (int t = 0; t < lengths[i]; t++) v[i * steps + t] = (float) (Math.sin(0.4 * t * (1 + i % 2)) + 0.3 * r.nextGaussian());
        }
        PaddedSequences data = new PaddedSequences(n, steps, 1, v, lengths);
        boolean realFake = objective.equals("real-fake");
        TrainConfig base = new TrainConfig(1, n, 1e-3, 0, 0, 0, 1e-3, 3);
        TrainConfig config = realFake ? base.withRealFakeTask(0.7)
                : base.withObjective(PretrainingObjective.parse(objective), 0.5);
        try (Autoencoder model = temporal
                     ? new TemporalAutoencoder(ops, new TemporalAutoencoderSpec(1, steps, 4, 3, 3, 3, 0.3f, 5, 2), 5)
                     : new SequenceAutoencoder(ops, new AutoencoderSpec(CellType.LSTM, 1, 6, 1, true, 4), 5);
             BatchLoader loader = new BatchLoader(ops, data, n);
             DeviceBuffer gradient = ops.allocate((long) n * model.embeddingSize());
             RealFakeTask task = realFake ? new RealFakeTask(ops, model.embeddingSize(), n, 0.7, 9) : null) {
            int[] order = {0, 1, 2, 3, 4, 5};
            SequenceMask mask = loader.load(order, 0, n);
            double loss = new Trainer(ops, config, null).new Pretraining(model, data, realFake ? null : gradient, task)
                    .forwardBackward(loader, mask, order, 0, n, 1, 0).loss();
            Map<String, float[]> out = new java.util.LinkedHashMap<>();
            for (var e : model.namedParameters().entrySet()) out.put(e.getKey(), e.getValue().gradient());
            if (task != null) for (Parameter p : task.parameters()) out.put("real_fake." + p.name(), p.gradient());
            out.put("loss", new float[] {(float) loss});
            return out;
        }
    }
}
