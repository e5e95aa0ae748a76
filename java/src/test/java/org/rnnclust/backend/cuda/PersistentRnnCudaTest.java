package org.rnnclust.backend.cuda;

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
 * The persistent forward and backward kernels (kernels/rnn_persist.cu) in a bidirectional LSTM/GRU
 * layer with variable lengths, against the per-step CUDA path and the CPU (the reference): the
 * outputs, the final states and every gradient of a backward pass (the persistent backward reading
 * the states and gate workspace the persistent forward stored), at the anchor shapes of the persistent kernel and at odd
 * ones (hidden sizes the unit slices do not divide, batch slices). Each comparison is
 * ‖a − b‖/‖b‖ ≤ 1e-4, the whole-training-step tolerance: the persistent kernel sums the recurrent
 * products in another order than cuBLAS and both contract multiply-adds, and over up to 1000 steps
 * such rounding differences pass through the recurrence. The persistent path must actually run (four
 * launches: forward and backward of each direction) and the per-step one must not launch it; in the
 * default mode it runs exactly where {@link PersistentRnn#plan} prefers it. Skipped without a GPU.
 */
@Tag("gpu")
class PersistentRnnCudaTest {
    static final double TOL = Tolerances.TRAINING_STEP;

    static CudaBackend backend;
    static CudaTensorOps gpu;
    static CpuOps cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the persistent recurrent kernel tests");
        backend = new CudaBackend(0, false, 0);
        gpu = (CudaTensorOps) backend.tensorOps();
        cpu = new CpuOps(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.rnnMode(PersistentRnn.Mode.fromProperty());
        if (backend != null) backend.close();
        if (cpu != null) cpu.close();
    }

    record Result(List<float[]> values, List<String> names) {}

    @ParameterizedTest
    @CsvSource({
        // the anchor shapes: cell, batch, steps, input, hidden, and whether h0 (and c0) are zero
        "LSTM, 256, 28, 28, 128, false",
        "LSTM, 64, 256, 1, 256, false",
        "LSTM, 32, 1000, 3, 64, true",
        "LSTM, 512, 50, 40, 256, false",
        "GRU, 256, 28, 28, 128, true",
        // odd shapes: several batch slices, a short last unit slice, several units per block
        "LSTM, 37, 9, 5, 7, true",
        "GRU, 37, 9, 5, 7, false",
        "LSTM, 70, 12, 4, 300, false",
        "GRU, 70, 12, 4, 300, true",
    })
    void persistentForwardMatchesStepwiseAndCpu(CellType cell, int batch, int steps, int in, int hidden,
                                                boolean zeroH0) {
        RecurrentSpec spec = new RecurrentSpec(cell, in, hidden, 1, true);
        Result reference = run(cpu, spec, batch, steps, zeroH0);

        gpu.rnnMode(PersistentRnn.Mode.STEPWISE);
        long before = gpu.persistentLaunches();
        Result stepwise = run(gpu, spec, batch, steps, zeroH0);
        assertEquals(before, gpu.persistentLaunches(), "the per-step mode launched the persistent kernel");

        gpu.rnnMode(PersistentRnn.Mode.PERSISTENT);
        before = gpu.persistentLaunches();
        Result persistent = run(gpu, spec, batch, steps, zeroH0);
        assertEquals(before + 4, gpu.persistentLaunches(), "persistent launches (forward and backward per direction)");

        for (int i = 0; i < reference.values.size(); i++) {
            String what = cell + " " + batch + "x" + steps + "x" + in + "x" + hidden + " " + reference.names.get(i);
            double vsCpu = RelativeError.of(persistent.values.get(i), reference.values.get(i));
            double vsStep = RelativeError.of(persistent.values.get(i), stepwise.values.get(i));
            double stepVsCpu = RelativeError.of(stepwise.values.get(i), reference.values.get(i));
            assertTrue(vsCpu <= TOL, what + ": persistent vs CPU " + vsCpu);
            assertTrue(vsStep <= TOL, what + ": persistent vs per-step CUDA " + vsStep);
            assertTrue(stepVsCpu <= TOL, what + ": per-step CUDA vs CPU " + stepVsCpu);
        }

        // The default mode runs the kernel exactly where the rule prefers it on this GPU.
        gpu.rnnMode(PersistentRnn.Mode.AUTO);
        CudaContext ctx = backend.context();
        PersistentRnn.Plan forward = PersistentRnn.plan(cell.gates(), batch, hidden, ctx.multiprocessors(),
                ctx.maxSharedOptin(), false);
        PersistentRnn.Plan backward = PersistentRnn.plan(cell.gates(), batch, hidden, ctx.multiprocessors(),
                ctx.maxSharedOptin(), true);
        before = gpu.persistentLaunches();
        Result auto = run(gpu, spec, batch, steps, zeroH0);
        int expected = (forward != null && forward.preferred() ? 2 : 0) + (backward != null && backward.preferred() ? 2 : 0);
        assertEquals(before + expected, gpu.persistentLaunches(), "auto: " + forward + ", " + backward);
        for (int i = 0; i < reference.values.size(); i++) {
            double e = RelativeError.of(auto.values.get(i), reference.values.get(i));
            assertTrue(e <= TOL, "auto " + reference.names.get(i) + ": vs CPU " + e);
        }
    }

    /**
     * Forward and backward of one bidirectional layer; the same data and weights on every device.
     * zeroH0: no initial state (the layer's zero-h0 path, where the first product is skipped).
     */
    private static Result run(TensorOps ops, RecurrentSpec spec, int batch, int steps, boolean zeroH0) {
        boolean lstm = spec.cell() == CellType.LSTM;
        Random r = new Random(17);
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = b == 0 ? steps : 1 + r.nextInt(steps);
        List<float[]> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (RecurrentStack stack = new RecurrentStack(ops, spec, 23);
             SequenceMask mask = new SequenceMask(ops, lengths, steps)) {
            long state = stack.stateSize(batch);
            long outSize = (long) batch * steps * spec.outputSize();
            long inSize = (long) batch * steps * spec.inputSize();
            try (DeviceBuffer x = upload(ops, gaussian(r, inSize));
                 DeviceBuffer h0 = zeroH0 ? null : upload(ops, gaussian(r, state));
                 DeviceBuffer c0 = lstm && !zeroH0 ? upload(ops, gaussian(r, state)) : null;
                 DeviceBuffer out = ops.allocate(outSize);
                 DeviceBuffer hN = ops.allocate(state);
                 DeviceBuffer cN = lstm ? ops.allocate(state) : null;
                 DeviceBuffer dOut = upload(ops, gaussian(r, outSize));
                 DeviceBuffer dHN = upload(ops, gaussian(r, state));
                 DeviceBuffer dCN = lstm ? upload(ops, gaussian(r, state)) : null;
                 DeviceBuffer dX = ops.allocate(inSize);
                 DeviceBuffer dH0 = ops.allocate(state);
                 DeviceBuffer dC0 = lstm ? ops.allocate(state) : null) {
                stack.zeroGrad();
                stack.forward(x, mask, h0, c0, out, hN, cN);
                add(values, names, "out", ops.toHost(out));
                add(values, names, "hN", ops.toHost(hN));
                if (lstm) add(values, names, "cN", ops.toHost(cN));
                stack.backward(dOut, dHN, dCN, dX, dH0, dC0);
                add(values, names, "dX", ops.toHost(dX));
                add(values, names, "dH0", ops.toHost(dH0));
                if (lstm) add(values, names, "dC0", ops.toHost(dC0));
                for (Parameter p : stack.parameters()) add(values, names, "grad " + p.name(), p.gradient());
            }
        }
        return new Result(values, names);
    }

    private static void add(List<float[]> values, List<String> names, String name, float[] v) {
        values.add(v);
        names.add(name);
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
