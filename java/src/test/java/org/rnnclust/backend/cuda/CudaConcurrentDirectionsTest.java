package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.RecurrentSpec;
import org.rnnclust.nn.RecurrentStack;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * The two directions of a bidirectional layer on two streams ({@code -Drnnclust.cuda.bidirectional=concurrent},
 * {@link CudaTensorOps#concurrently}) against the same directions one after the other on the
 * compute stream: outputs, final states and every gradient of three forward + backward passes of a
 * two-layer LSTM/GRU stack with variable lengths (the first pass runs op by op, the second
 * captures the lane's graphs, the third replays them, every replay's key checked against a fresh
 * trace). Per-step path: bit for bit (the same kernels and cuBLAS GEMMs at the same shapes, with
 * the lane's own handle and workspace in the same math mode); persistent kernels: within the
 * training-step tolerance, as they are against the per-step path (PersistentRnnCudaTest), and both
 * against the CPU. The lane must actually have run (one fork per layer and pass, forward and
 * backward). Skipped without a GPU.
 */
@Tag("gpu")
class CudaConcurrentDirectionsTest {
    static final double TOL = Tolerances.TRAINING_STEP;

    static CudaBackend backend;
    static CudaTensorOps gpu;
    static CpuOps cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the concurrent-direction tests");
        backend = new CudaBackend(0, false, 0);
        gpu = (CudaTensorOps) backend.tensorOps();
        cpu = new CpuOps(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.concurrentTasks(false);
            gpu.rnnMode(PersistentRnn.Mode.fromProperty());
            gpu.verifyGraphKeys(false);
        }
        if (backend != null) backend.close();
        if (cpu != null) cpu.close();
    }

    @ParameterizedTest
    @CsvSource({
        // cell, batch, steps, input, hidden, initial states, rnn path
        "LSTM, 37, 9, 5, 7, true, STEPWISE",
        "GRU, 37, 9, 5, 7, false, STEPWISE",
        "LSTM, 256, 28, 28, 128, false, STEPWISE",
        "GRU, 256, 28, 28, 128, true, STEPWISE",
        "LSTM, 64, 50, 3, 64, true, PERSISTENT",
        "GRU, 64, 50, 3, 64, false, PERSISTENT",
    })
    void concurrentDirectionsMatchSerial(CellType cell, int batch, int steps, int in, int hidden, boolean initial,
                                         PersistentRnn.Mode mode) {
        RecurrentSpec spec = new RecurrentSpec(cell, in, hidden, 2, true);
        List<float[]> reference = run(cpu, spec, batch, steps, initial);
        gpu.rnnMode(mode);
        gpu.verifyGraphKeys(true);
        try {
            gpu.concurrentTasks(false);
            long forks = gpu.concurrentForks();
            List<float[]> serial = run(gpu, spec, batch, steps, initial);
            assertEquals(forks, gpu.concurrentForks(), "the serial mode used the lane");

            gpu.concurrentTasks(true);
            List<float[]> concurrent = run(gpu, spec, batch, steps, initial);
            // 3 passes x 2 layers x (forward + backward)
            assertEquals(forks + 12, gpu.concurrentForks(), "forks of the concurrent mode");

            for (int i = 0; i < serial.size(); i++) {
                String what = cell + " " + mode + " " + batch + "x" + steps + "x" + in + "x" + hidden + " result " + i;
                if (mode == PersistentRnn.Mode.STEPWISE) {
                    assertArrayEquals(serial.get(i), concurrent.get(i), what + ": concurrent vs serial");
                } else {
                    double e = RelativeError.of(concurrent.get(i), serial.get(i));
                    assertTrue(e <= TOL, what + ": concurrent vs serial " + e);
                }
                double e = RelativeError.of(concurrent.get(i), reference.get(i));
                assertTrue(e <= TOL, what + ": concurrent vs CPU " + e);
            }
        } finally {
            gpu.concurrentTasks(false);
            gpu.verifyGraphKeys(false);
            gpu.rnnMode(PersistentRnn.Mode.fromProperty());
        }
    }

    /** Three passes of forward + backward of the same stack, on the same data; all results of each. */
    private static List<float[]> run(TensorOps ops, RecurrentSpec spec, int batch, int steps, boolean initial) {
        boolean lstm = spec.cell() == CellType.LSTM;
        Random r = new Random(29);
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = b == 0 ? steps : 1 + r.nextInt(steps);
        List<float[]> values = new ArrayList<>();
        try (RecurrentStack stack = new RecurrentStack(ops, spec, 31);
             SequenceMask mask = new SequenceMask(ops, lengths, steps)) {
            long state = stack.stateSize(batch);
            long outSize = (long) batch * steps * spec.outputSize();
            long inSize = (long) batch * steps * spec.inputSize();
            try (DeviceBuffer x = upload(ops, gaussian(r, inSize));
                 DeviceBuffer h0 = initial ? upload(ops, gaussian(r, state)) : null;
                 DeviceBuffer c0 = lstm && initial ? upload(ops, gaussian(r, state)) : null;
                 DeviceBuffer out = ops.allocate(outSize);
                 DeviceBuffer hN = ops.allocate(state);
                 DeviceBuffer cN = lstm ? ops.allocate(state) : null;
                 DeviceBuffer dOut = upload(ops, gaussian(r, outSize));
                 DeviceBuffer dHN = upload(ops, gaussian(r, state));
                 DeviceBuffer dCN = lstm ? upload(ops, gaussian(r, state)) : null;
                 DeviceBuffer dX = ops.allocate(inSize);
                 DeviceBuffer dH0 = initial ? ops.allocate(state) : null;
                 DeviceBuffer dC0 = lstm && initial ? ops.allocate(state) : null) {
                for (int pass = 0; pass < 3; pass++) {
                    stack.zeroGrad();
                    stack.forward(x, mask, h0, c0, out, hN, cN);
                    values.add(ops.toHost(out));
                    values.add(ops.toHost(hN));
                    if (lstm) values.add(ops.toHost(cN));
                    stack.backward(dOut, dHN, dCN, dX, dH0, dC0);
                    values.add(ops.toHost(dX));
                    if (dH0 != null) values.add(ops.toHost(dH0));
                    if (dC0 != null) values.add(ops.toHost(dC0));
                    for (Parameter p : stack.parameters()) values.add(p.gradient());
                }
            }
        }
        return values;
    }

    private static DeviceBuffer upload(TensorOps ops, float[] v) {
        DeviceBuffer b = ops.allocate(v.length);
        ops.upload(v, b);
        return b;
    }

    private static float[] gaussian(Random r, long n) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
