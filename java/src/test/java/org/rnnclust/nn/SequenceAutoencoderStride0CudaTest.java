package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.backend.cuda.CudaBackend;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * The decoder's input read with a step stride of 0 on the GPU ({@code -Drnnclust.cuda.decoderInput=stride0}:
 * z projected once, the gate gradients summed over the steps before the weight and input
 * gradients) against the decoder on T copies of z on the GPU and against the CPU: the loss and
 * every parameter gradient of a sequence autoencoder batch (LSTM and GRU, one and two layers,
 * bidirectional encoder, variable lengths, twice so that the second batch replays the graphs),
 * within a training step's tolerance. The property is read when a backend opens, so each mode has
 * its own. Skipped without a GPU.
 */
@Tag("gpu")
class SequenceAutoencoderStride0CudaTest {
    private static final String PROPERTY = "rnnclust.cuda.decoderInput";

    @ParameterizedTest
    @CsvSource({"LSTM, 1, 64, 28", "LSTM, 2, 37, 9", "GRU, 1, 64, 28", "GRU, 2, 37, 9"})
    void stride0EqualsCopiesAndTheCpu(CellType cell, int layers, int batch, int steps) {
        assumeGpu("the decoder's stride-0 input on CUDA");
        AutoencoderSpec spec = new AutoencoderSpec(cell, 3, 32, layers, true, 6);
        Map<String, float[]> cpu;
        try (CpuOps ops = new CpuOps(2)) {
            cpu = gradients(ops, spec, batch, steps);
        }
        Map<String, float[]> copies;
        Map<String, float[]> stride0;
        try (CudaBackend b = open("repeat")) {
            assertFalse(b.tensorOps().projectsRepeatedInputOnce());
            copies = gradients(b.tensorOps(), spec, batch, steps);
        }
        try (CudaBackend b = open("stride0")) {
            assertTrue(b.tensorOps().projectsRepeatedInputOnce());
            stride0 = gradients(b.tensorOps(), spec, batch, steps);
        }
        for (var e : cpu.entrySet()) {
            double vsCopies = RelativeError.of(stride0.get(e.getKey()), copies.get(e.getKey()));
            double vsCpu = RelativeError.of(stride0.get(e.getKey()), e.getValue());
            assertTrue(vsCopies <= Tolerances.TRAINING_STEP, e.getKey() + ": stride 0 vs copies " + vsCopies);
            assertTrue(vsCpu <= Tolerances.TRAINING_STEP, e.getKey() + ": stride 0 vs CPU " + vsCpu);
        }
    }

    /** The loss (under "loss") and every gradient of the second of two identical batches. */
    private static Map<String, float[]> gradients(TensorOps ops, AutoencoderSpec spec, int batch, int steps) {
        Random r = new Random(13);
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = b == 0 ? steps : 1 + r.nextInt(steps);
        float[] x = new float[steps * batch * spec.channels()];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        Map<String, float[]> g = new TreeMap<>();
        try (SequenceAutoencoder m = new SequenceAutoencoder(ops, spec, 3);
             SequenceMask mask = new SequenceMask(ops, lengths, steps);
             DeviceBuffer xd = ops.allocate(x.length)) {
            ops.upload(x, xd);
            double loss = 0;
            for (int pass = 0; pass < 2; pass++) {
                m.zeroGrad();
                loss = m.forward(xd, mask);
                m.backward();
            }
            g.put("loss", new float[] {(float) loss});
            for (var e : m.namedParameters().entrySet()) g.put(e.getKey(), e.getValue().gradient());
        }
        return g;
    }

    private static CudaBackend open(String mode) {
        String before = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, mode);
        try {
            CudaBackend backend = new CudaBackend(0, false, 0);
            backend.tensorOps();  // the ops read the property when they are made
            return backend;
        } finally {
            if (before == null) System.clearProperty(PROPERTY);
            else System.setProperty(PROPERTY, before);
        }
    }
}
