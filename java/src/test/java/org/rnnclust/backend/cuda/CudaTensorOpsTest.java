package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * Every {@link CudaTensorOps} op against {@link CpuOps} (the reference) on fresh random inputs of
 * several sizes, odd ones included, FP32: ‖gpu − cpu‖ / ‖cpu‖ ≤ 1e-5 per op; a whole autoencoder
 * training step (forward, loss, backward, clipping, Adam) ≤ 1e-4 on loss, gradients and weights;
 * graph replay equals op-by-op; no device-memory leak over 1000 training steps. Skipped, with the
 * reason, where there is no GPU; {@code ci/gpu-check.sh} runs them on the GPU machine.
 */
@Tag("gpu")
class CudaTensorOpsTest {
    static final double FP32 = Tolerances.FP32_OP;
    static final double STEP = Tolerances.TRAINING_STEP;
    /** (batch, hidden) pairs for the cell ops: tiny, odd, one warp, larger than a block. */
    static final int[][] CELL_SHAPES = {{1, 1}, {3, 5}, {37, 17}, {64, 128}, {129, 255}};

    static CudaBackend gpuBackend;
    static TensorOps gpu;
    static CpuOps cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the CUDA tensor-op parity tests");
        gpuBackend = new CudaBackend(0, false, 0);
        gpu = gpuBackend.tensorOps();
        cpu = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        if (gpuBackend != null) gpuBackend.close();
        if (cpu != null) cpu.close();
    }

    /** One tensor on both devices, same contents. */
    record Pair(DeviceBuffer c, DeviceBuffer g, int size) implements AutoCloseable {
        float[] cpuValues() { return cpu.toHost(c); }
        float[] gpuValues() { return gpu.toHost(g); }
        @Override public void close() { c.close(); g.close(); }
    }

    final List<Pair> open = new ArrayList<>();

    Pair pair(float[] init) {
        DeviceBuffer c = cpu.allocate(init.length);
        DeviceBuffer g = gpu.allocate(init.length);
        cpu.upload(init, c);
        gpu.upload(init, g);
        Pair p = new Pair(c, g, init.length);
        open.add(p);
        return p;
    }

    Pair random(int n, long seed) {
        return pair(gaussian(n, seed));
    }

    @org.junit.jupiter.api.AfterEach
    void free() {
        open.forEach(Pair::close);
        open.clear();
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    /** A [batch] mask with every third row padding (never all zero, never all one from 3 rows on). */
    Pair mask(int batch) {
        float[] m = new float[batch];
        for (int b = 0; b < batch; b++) m[b] = b % 3 == 1 ? 0f : 1f;
        return pair(m);
    }

    static void assertClose(Pair p, double tol, String what) {
        double e = RelativeError.of(p.gpuValues(), p.cpuValues());
        assertTrue(e <= tol, what + ": relative error " + e + " > " + tol);
    }

    /** Runs the same op on both devices. */
    static void both(BiConsumer<TensorOps, Boolean> op) {
        op.accept(cpu, false);
        op.accept(gpu, true);
    }

    static DeviceBuffer of(Pair p, boolean onGpu) {
        return p == null ? null : onGpu ? p.g() : p.c();
    }

    // ---- memory ----

    @Test
    void uploadDownloadZeroCopyTranspose() {
        for (int n : new int[] {1, 7, 1000, (1 << 22) + 13}) {
            float[] v = gaussian(n, n);
            Pair p = pair(v);
            assertEquals(0.0, RelativeError.of(p.gpuValues(), v), "round trip of " + n);
            Pair q = random(n + 5, 2);
            both((o, g) -> o.copy(of(p, g), 1, of(q, g), 3, n - 1));
            both((o, g) -> o.zero(of(q, g), 2, Math.min(5, n)));
            assertEquals(0.0, RelativeError.of(q.gpuValues(), q.cpuValues()), "copy/zero " + n);
        }
        for (int[] s : new int[][] {{1, 1, 1}, {3, 5, 7}, {28, 33, 2}, {64, 17, 1}}) {
            int n = s[0] * s[1] * s[2];
            Pair src = random(n + 4, 3);
            Pair dst = random(n + 6, 4);
            both((o, g) -> o.transpose01(s[0], s[1], s[2], of(src, g), 4, of(dst, g), 1));
            assertEquals(0.0, RelativeError.of(dst.gpuValues(), dst.cpuValues()), "transpose01");
        }
        try (DeviceBuffer empty = gpu.allocate(0)) {
            assertEquals(0, empty.size());
        }
    }

    // ---- GEMM ----

    @ParameterizedTest(name = "m={0} n={1} k={2} tA={3} tB={4}")
    @CsvSource({"1,1,1,false,false", "7,5,3,true,false", "33,17,65,false,true", "128,512,128,true,true",
            "257,129,31,false,false", "5,1000,2,false,true", "64,3,0,false,false"})
    void gemmMatchesCpu(int m, int n, int k, boolean tA, boolean tB) {
        int lda = (tA ? m : k) + 3, ldb = (tB ? k : n) + 1, ldc = n + 2;
        Pair a = random((tA ? k : m) * lda + 2, 5);
        Pair b = random((tB ? n : k) * ldb + 1, 6);
        Pair c = random(m * ldc + 4, 7);
        both((o, g) -> o.gemm(tA, tB, m, n, k, 0.75f, of(a, g), 2, lda, of(b, g), 1, ldb, 0.5f, of(c, g), 4, ldc));
        assertClose(c, FP32, "gemm beta=0.5");
        both((o, g) -> o.gemm(tA, tB, m, n, k, 1f, of(a, g), 2, lda, of(b, g), 1, ldb, 0f, of(c, g), 4, ldc));
        assertClose(c, FP32, "gemm beta=0");
    }

    @Test
    void tf32GemmWithinItsBound() {
        int m = 257, n = 129, k = 300;
        float[] a = gaussian(m * k, 1), b = gaussian(k * n, 2);
        try (CudaBackend tf32 = new CudaBackend(0, true, 0)) {
            TensorOps t = tf32.tensorOps();
            try (DeviceBuffer ga = t.allocate(a.length); DeviceBuffer gb = t.allocate(b.length);
                 DeviceBuffer gc = t.allocate((long) m * n); DeviceBuffer ca = cpu.allocate(a.length);
                 DeviceBuffer cb = cpu.allocate(b.length); DeviceBuffer cc = cpu.allocate((long) m * n)) {
                t.upload(a, ga);
                t.upload(b, gb);
                cpu.upload(a, ca);
                cpu.upload(b, cb);
                t.gemm(false, false, m, n, k, 1f, ga, 0, k, gb, 0, n, 0f, gc, 0, n);
                cpu.gemm(false, false, m, n, k, 1f, ca, 0, k, cb, 0, n, 0f, cc, 0, n);
                double e = RelativeError.of(t.toHost(gc), cpu.toHost(cc));
                assertTrue(e <= Tolerances.TF32, "TF32 gemm relative error " + e);
            }
        }
    }

    // ---- elementwise and reductions ----

    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"1,1", "3,5", "37,33", "7168,512", "1000,3"})
    void rowAndColumnOpsMatchCpu(int rows, int cols) {
        int ld = cols + 3;
        Pair bias = random(cols, 8);
        Pair m = random(rows * ld + 2, 9);
        both((o, g) -> o.addRowVector(rows, cols, of(bias, g), of(m, g), 2, ld));
        assertClose(m, FP32, "addRowVector");
        Pair sums = random(cols + 1, 10);
        both((o, g) -> o.addColumnSums(rows, cols, of(m, g), 2, ld, of(sums, g), 1));
        assertClose(sums, FP32, "addColumnSums");
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"1", "5", "1000", "262147", "3000001"})
    void vectorOpsMatchCpu(int n) {
        Pair x = random(n + 3, 11);
        Pair y = random(n + 1, 12);
        double c = cpu.sumSquares(x.c(), 3, n);
        double g = gpu.sumSquares(x.g(), 3, n);
        assertTrue(Math.abs(g - c) <= FP32 * c, "sumSquares " + g + " vs " + c);
        List<DeviceBuffer> cs = List.of(x.c(), y.c(), x.c());
        List<DeviceBuffer> gs = List.of(x.g(), y.g(), x.g());
        long[] counts = {n, n, 0};
        double cm = cpu.sumSquares(cs, counts);
        double gm = gpu.sumSquares(gs, counts);
        assertTrue(Math.abs(gm - cm) <= FP32 * cm, "sumSquares of several buffers " + gm + " vs " + cm);
        both((o, gp) -> o.scale(of(x, gp), 3, n, -0.3f));
        assertClose(x, FP32, "scale");
        both((o, gp) -> o.axpy(n, 1.7f, of(x, gp), 3, of(y, gp), 1));
        assertClose(y, FP32, "axpy");
    }

    /** More uploads in a row than the staging ring has buffers, each array changed after its call. */
    @Test
    void uploadsInARowThroughTheStagingRingArriveIntact() {
        int n = 70_001, count = 21;
        List<DeviceBuffer> bufs = new ArrayList<>();
        try {
            float[] host = new float[n];
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < n; j++) host[j] = i * 1000f + j % 997;
                DeviceBuffer b = gpu.allocate(n);
                bufs.add(b);
                gpu.upload(host, b);
                gpu.scale(b, 0, n, 2f);  // device work between uploads, as in a training step
            }
            for (int i = 0; i < count; i++) {
                float[] back = gpu.toHost(bufs.get(i));
                for (int j = 0; j < n; j += 4999) assertEquals(2 * (i * 1000f + j % 997), back[j], "upload " + i);
            }
        } finally {
            bufs.forEach(DeviceBuffer::close);
        }
    }

    @ParameterizedTest(name = "times={0} n={1}")
    @CsvSource({"1,1", "28,160", "3,100003"})
    void repeatMatchesCpu(int times, int n) {
        Pair src = random(n + 3, 21);
        Pair dst = random(times * n + 5, 22);
        both((o, gp) -> o.repeat(times, n, of(src, gp), 3, of(dst, gp), 2));
        assertEquals(0.0, RelativeError.of(dst.gpuValues(), dst.cpuValues()), "repeat");
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"1,1", "7,1", "33,5", "7168,28", "100001,3"})
    void mseMatchesCpu(int rows, int cols) {
        int n = rows * cols;
        Pair p = random(n + 2, 13);
        Pair t = random(n + 1, 14);
        Pair w = mask(rows + 5);
        Pair grad = random(n, 15);
        double c = cpu.mseLoss(rows, cols, p.c(), 2, t.c(), 1, w.c(), 5);
        double g = gpu.mseLoss(rows, cols, p.g(), 2, t.g(), 1, w.g(), 5);
        assertTrue(Math.abs(g - c) <= FP32 * Math.abs(c), "mseLoss " + g + " vs " + c);
        both((o, gp) -> o.mseLossBackward(rows, cols, of(p, gp), 2, of(t, gp), 1, of(w, gp), 5, 0.37f, of(grad, gp), 0));
        assertClose(grad, FP32, "mseLossBackward");
        Pair zeros = pair(new float[rows]);
        assertEquals(0.0, gpu.mseLoss(rows, cols, p.g(), 0, t.g(), 0, zeros.g(), 0), "all rows masked");
    }

    @ParameterizedTest(name = "n={0} wd={1}")
    @CsvSource({"1,0", "17,0", "100003,0.01", "3000001,0"})
    void adamMatchesCpu(int n, double wd) {
        Pair p = random(n, 16), g = random(n, 17), m = random(n, 18);
        float[] v0 = gaussian(n, 19);
        for (int i = 0; i < n; i++) v0[i] = v0[i] * v0[i];
        Pair v = pair(v0);
        for (int step = 1; step <= 3; step++) {
            int s = step;
            both((o, gp) -> o.adam(n, of(p, gp), 0, of(g, gp), 0, of(m, gp), 0, of(v, gp), 0, 3e-3, 0.9, 0.999, 1e-8, wd, s));
        }
        assertClose(p, FP32, "adam param");
        assertClose(m, FP32, "adam m");
        assertClose(v, FP32, "adam v");
    }

    // ---- pooling ----

    @ParameterizedTest(name = "steps={0} rows={1} pool={2} stride={3}")
    @CsvSource({"23,15,3,3", "17,7,4,2", "12,1000,2,3", "128,3000,10,10"})
    void poolingMatchesCpu(int inSteps, int rows, int pool, int stride) {
        int outSteps = (inSteps - pool) / stride + 1;
        Pair in = random(inSteps * rows + 2, 50), out = random(outSteps * rows + 1, 51);
        Pair dOut = random(outSteps * rows + 3, 52), dIn = random(inSteps * rows + 1, 53);
        both((o, g) -> o.maxPoolLeakyRelu(inSteps, outSteps, rows, pool, stride, 0.3f, of(in, g), 2, of(out, g), 1));
        assertClose(out, 0, "maxPoolLeakyRelu");
        both((o, g) -> o.maxPoolLeakyReluBackward(inSteps, outSteps, rows, pool, stride, 0.3f, of(in, g), 2,
                of(dOut, g), 3, of(dIn, g), 1));
        assertClose(dIn, FP32, "maxPoolLeakyReluBackward");
    }

    // ---- soft clustering (DEC / IDEC) ----

    @ParameterizedTest(name = "n={0} k={1} d={2} alpha={3}")
    @CsvSource({"1,1,1,1", "37,3,8,1", "1001,10,10,1", "257,7,5,2.5", "10000,10,10,1"})
    void softAssignmentOpsMatchCpu(int n, int k, int d, float alpha) {
        Pair z = random(n * d + 2, 40), mu = random(k * d, 41);
        Pair q = random(n * k + 1, 42), p = random(n * k + 3, 43);
        Pair dz = random(n * d + 2, 44), dmu = random(k * d, 45);
        both((o, g) -> o.studentTAssign(n, k, d, alpha, of(z, g), 2, of(mu, g), of(q, g), 1));
        assertClose(q, FP32, "studentTAssign");
        both((o, g) -> o.decTarget(n, k, of(q, g), 1, of(p, g), 3));
        assertClose(p, FP32, "decTarget");
        double c = cpu.klDivergence(n, k, p.c(), 3, q.c(), 1);
        double gk = gpu.klDivergence(n, k, p.g(), 3, q.g(), 1);
        assertTrue(Math.abs(gk - c) <= FP32 * Math.max(Math.abs(c), 1e-12), "klDivergence " + gk + " vs " + c);
        both((o, g) -> o.studentTKlBackward(n, k, d, alpha, of(z, g), 2, of(mu, g), of(q, g), 1, of(p, g), 3, 0.7f,
                of(dz, g), 2, of(dmu, g)));
        assertClose(dz, FP32, "studentTKlBackward dz");
        assertClose(dmu, FP32, "studentTKlBackward dmu");
    }

    // ---- recurrent cells ----

    @Test
    void lstmStepsMatchCpu() {
        for (int[] s : CELL_SHAPES) {
            int b = s[0], h = s[1], g4 = 4 * h, ldo = 2 * h + 1;
            Pair xp = random(b * g4 + 1, 20), hp = random(b * g4, 21), bi = random(g4, 22), bh = random(g4, 23);
            Pair mk = mask(b + 2), h0 = random(b * h, 24), c0 = random(b * h, 25);
            Pair h1 = random(b * h, 26), c1 = random(b * h, 27), out = random(b * ldo + 3, 28), ws = random(b * g4, 29);
            both((o, g) -> o.lstmForward(b, h, of(xp, g), 1, of(hp, g), 0, of(bi, g), of(bh, g), of(mk, g), 2,
                    of(h0, g), 0, of(c0, g), 0, of(h1, g), 0, of(c1, g), 0, of(out, g), 3, ldo, of(ws, g), 0));
            assertClose(h1, FP32, "lstm h " + b + "x" + h);
            assertClose(c1, FP32, "lstm c");
            assertClose(out, FP32, "lstm out");
            Pair dOut = random(b * ldo, 30), dh = random(b * h, 31), dc = random(b * h, 32), dg = random(b * g4, 33);
            // Workspace rows of masked steps are unspecified: copy the CPU's to the GPU first.
            gpu.upload(ws.cpuValues(), ws.g());
            for (Pair d : new Pair[] {dOut, null}) {
                both((o, g) -> o.lstmBackward(b, h, of(ws, g), 0, of(mk, g), 2, of(c0, g), 0, of(c1, g), 0,
                        of(d, g), 0, ldo, of(dh, g), 0, of(dc, g), 0, of(dg, g), 0));
                assertClose(dh, FP32, "lstm dh");
                assertClose(dc, FP32, "lstm dc");
                assertClose(dg, FP32, "lstm dGates");
            }
        }
    }

    @Test
    void gruStepsMatchCpu() {
        for (int[] s : CELL_SHAPES) {
            int b = s[0], h = s[1], g3 = 3 * h, ldo = h + 2;
            Pair xp = random(b * g3, 40), hp = random(b * g3 + 2, 41), bi = random(g3, 42), bh = random(g3, 43);
            Pair mk = mask(b), h0 = random(b * h + 1, 44), h1 = random(b * h, 45), out = random(b * ldo, 46);
            Pair ws = random(4 * b * h, 47);
            both((o, g) -> o.gruForward(b, h, of(xp, g), 0, of(hp, g), 2, of(bi, g), of(bh, g), of(mk, g), 0,
                    of(h0, g), 1, of(h1, g), 0, of(out, g), 0, ldo, of(ws, g), 0));
            assertClose(h1, FP32, "gru h " + b + "x" + h);
            assertClose(out, FP32, "gru out");
            gpu.upload(ws.cpuValues(), ws.g());
            Pair dOut = random(b * ldo, 48), dh = random(b * h, 49), di = random(b * g3, 50), dr = random(b * g3, 51);
            for (Pair d : new Pair[] {dOut, null}) {
                both((o, g) -> o.gruBackward(b, h, of(ws, g), 0, of(mk, g), 0, of(h0, g), 1, of(d, g), 0, ldo,
                        of(dh, g), 0, of(di, g), 0, of(dr, g), 0));
                assertClose(dh, FP32, "gru dh");
                assertClose(di, FP32, "gru dGatesIh");
                assertClose(dr, FP32, "gru dGatesHh");
            }
        }
    }

    @Test
    void rnnStepsMatchCpu() {
        for (int[] s : CELL_SHAPES) {
            int b = s[0], h = s[1], ldo = h;
            Pair xp = random(b * h, 60), hp = random(b * h, 61), bi = random(h, 62), bh = random(h, 63);
            Pair mk = mask(b), h0 = random(b * h, 64), h1 = random(b * h, 65), out = random(b * ldo, 66);
            both((o, g) -> o.rnnTanhForward(b, h, of(xp, g), 0, of(hp, g), 0, of(bi, g), of(bh, g), of(mk, g), 0,
                    of(h0, g), 0, of(h1, g), 0, of(out, g), 0, ldo));
            assertClose(h1, FP32, "rnn h " + b + "x" + h);
            assertClose(out, FP32, "rnn out");
            Pair dOut = random(b * ldo, 67), dh = random(b * h, 68), dg = random(b * h, 69);
            for (Pair d : new Pair[] {dOut, null}) {
                both((o, g) -> o.rnnTanhBackward(b, h, of(mk, g), 0, of(h1, g), 0, of(d, g), 0, ldo, of(dh, g), 0,
                        of(dg, g), 0));
                assertClose(dh, FP32, "rnn dh");
                assertClose(dg, FP32, "rnn dGates");
            }
        }
    }

    // ---- the whole training step ----

    /** One autoencoder training step on ops: forward, loss, backward, clipping, Adam. */
    static double[] trainStep(TensorOps ops, SequenceAutoencoder model, org.rnnclust.nn.Adam adam, DeviceBuffer x,
                              SequenceMask mask) {
        model.zeroGrad();
        double loss = model.forward(x, mask);
        model.backward();
        double norm = adam.clipGradients(1.0);
        adam.step();
        return new double[] {loss, norm};
    }

    @ParameterizedTest(name = "{0} layers={1} bidirectional={2} B={3} T={4}")
    @CsvSource({"lstm,1,false,32,28", "lstm,2,true,7,13", "gru,1,false,33,20", "gru,2,true,5,9", "rnn,1,true,17,11"})
    void trainingStepMatchesCpu(String cell, int layers, boolean bidirectional, int batch, int steps) {
        int channels = 3;
        AutoencoderSpec spec = new AutoencoderSpec(CellType.parse(cell), channels, 24, layers, bidirectional, 5);
        int[] lengths = new int[batch];
        SplittableRandom rng = new SplittableRandom(batch);
        for (int b = 0; b < batch; b++) lengths[b] = b == 0 ? steps : 1 + rng.nextInt(steps);
        float[] hx = gaussian(steps * batch * channels, 70);
        try (SequenceAutoencoder mc = new SequenceAutoencoder(cpu, spec, 5);
             SequenceAutoencoder mg = new SequenceAutoencoder(gpu, spec, 5);
             org.rnnclust.nn.Adam ac = new org.rnnclust.nn.Adam(cpu, mc.parameters(), 3e-3, 0);
             org.rnnclust.nn.Adam ag = new org.rnnclust.nn.Adam(gpu, mg.parameters(), 3e-3, 0);
             SequenceMask kc = new SequenceMask(cpu, lengths, steps); SequenceMask kg = new SequenceMask(gpu, lengths, steps);
             DeviceBuffer xc = cpu.allocate(hx.length); DeviceBuffer xg = gpu.allocate(hx.length)) {
            cpu.upload(hx, xc);
            gpu.upload(hx, xg);
            for (int i = 0; i < 3; i++) {
                double[] c = trainStep(cpu, mc, ac, xc, kc);
                double[] g = trainStep(gpu, mg, ag, xg, kg);
                assertTrue(Math.abs(g[0] - c[0]) <= STEP * c[0], "loss " + g[0] + " vs " + c[0]);
                assertTrue(Math.abs(g[1] - c[1]) <= STEP * c[1], "gradient norm " + g[1] + " vs " + c[1]);
            }
            for (var e : mc.namedParameters().entrySet()) {
                Parameter pg = mg.parameter(e.getKey());
                double ge = RelativeError.of(pg.gradient(), e.getValue().gradient());
                assertTrue(ge <= STEP, e.getKey() + " gradient: relative error " + ge);
                double we = RelativeError.of(pg.get(), e.getValue().get());
                assertTrue(we <= STEP, e.getKey() + " weights: relative error " + we);
            }
        }
    }

    @Test
    void graphReplayEqualsOpByOpAndFollowsNewBuffers() {
        AutoencoderSpec spec = new AutoencoderSpec(CellType.LSTM, 2, 16, 1, false, 4);
        int steps = 10;
        int[] lengths = {10, 4, 7, 10, 1};
        // The graphs are the per-step path's: at this small shape -Drnnclust.cuda.rnn=auto would run
        // the layers' loops as persistent kernels (PersistentRnnCudaTest checks those), which no graph holds.
        ((CudaTensorOps) gpu).rnnMode(PersistentRnn.Mode.STEPWISE);
        try (SequenceAutoencoder mc = new SequenceAutoencoder(cpu, spec, 3);
             SequenceAutoencoder mg = new SequenceAutoencoder(gpu, spec, 3);
             SequenceMask kc = new SequenceMask(cpu, lengths, steps); SequenceMask kg = new SequenceMask(gpu, lengths, steps)) {
            for (int round = 0; round < 3; round++) {
                // A new input buffer each round (the recurrent loops do not read it): round 0 runs op by
                // op, round 1 captures, round 2 replays; each must equal the CPU.
                float[] hx = gaussian(steps * lengths.length * 2, 80 + round);
                try (DeviceBuffer xc = cpu.allocate(hx.length); DeviceBuffer xg = gpu.allocate(hx.length)) {
                    cpu.upload(hx, xc);
                    gpu.upload(hx, xg);
                    double c = mc.forward(xc, kc);
                    double g = mg.forward(xg, kg);
                    assertTrue(Math.abs(g - c) <= FP32 * 10 * c, "round " + round + ": loss " + g + " vs " + c);
                }
            }
            assertTrue(((CudaTensorOps) gpu).graphCount() > 0, "no graph was captured");
        } finally {
            ((CudaTensorOps) gpu).rnnMode(PersistentRnn.Mode.fromProperty());
        }
    }

    @Test
    void outOfMemoryIsOneLineAndLeavesTheOpsUsable() {
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> gpu.allocate(1L << 40));
        assertTrue(e.getMessage().contains("out of memory") && !e.getMessage().contains("\n"), e.getMessage());
        Pair x = random(1000, 99);
        double c = cpu.sumSquares(x.c(), 0, 1000);
        double g = gpu.sumSquares(x.g(), 0, 1000);
        assertTrue(Math.abs(g - c) <= FP32 * c, "after an out-of-memory error: " + g + " vs " + c);
    }

    @Test
    void opsThatWaitAreRefusedInsideACapturedBody() {
        try (DeviceBuffer b = gpu.allocate(4)) {
            assertThrows(IllegalStateException.class, () -> gpu.captured("refused", () -> gpu.sumSquares(b, 0, 4)));
            assertThrows(IllegalStateException.class, () -> gpu.captured("refused", () -> gpu.allocate(1)));
        }
    }

    @Test
    void noDeviceMemoryLeakOver1000TrainingSteps() {
        AutoencoderSpec spec = new AutoencoderSpec(CellType.GRU, 1, 32, 1, false, 8);
        int steps = 24;
        int[] lengths = new int[16];
        java.util.Arrays.fill(lengths, steps);
        long[] freeAfterFirst = new long[1];
        try (SequenceAutoencoder m = new SequenceAutoencoder(gpu, spec, 1);
             org.rnnclust.nn.Adam adam = new org.rnnclust.nn.Adam(gpu, m.parameters(), 1e-3, 0);
             SequenceMask mask = new SequenceMask(gpu, lengths, steps);
             DeviceBuffer x = gpu.allocate((long) steps * lengths.length)) {
            gpu.upload(gaussian(steps * lengths.length, 90), x);
            for (int i = 0; i < 1000; i++) {
                trainStep(gpu, m, adam, x, mask);
                // After the first steps: graphs are captured on a body's second run.
                if (i == 9) freeAfterFirst[0] = gpuBackend.context().memoryInfo()[0];
            }
            long freeAfterLast = gpuBackend.context().memoryInfo()[0];
            assertEquals(freeAfterFirst[0], freeAfterLast, "device memory free after step 10 vs step 1000");
        }
    }
}
