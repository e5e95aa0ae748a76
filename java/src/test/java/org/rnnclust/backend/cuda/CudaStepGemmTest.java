package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * The per-step GEMM through cuBLASLt without split-K ({@code -Drnnclust.cuda.stepGemm=lt}) against
 * the CPU's GEMM, at the backward's shapes (B × H × G·H, accumulating) and others, transposes
 * included; then training steps with it, graphs captured and replayed, against the CPU. Prints how
 * many shapes found an algorithm without split-K (the rest ran cublasSgemm).
 */
@Tag("gpu")
class CudaStepGemmTest {
    static CudaBackend backend;
    static CudaTensorOps gpu;
    static CpuOps cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the cuBLASLt per-step GEMM tests");
        backend = new CudaBackend(0, false, 0);
        gpu = (CudaTensorOps) backend.tensorOps();
        gpu.useLtStepGemm(true);
        cpu = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            int[] plans = gpu.ltPlans();
            System.out.println("cuBLASLt step GEMM: " + plans[1] + " of " + plans[0] + " shapes without split-K");
        }
        if (backend != null) backend.close();
        if (cpu != null) cpu.close();
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} tA={3} tB={4} beta={5}")
    @CsvSource({"256,128,512,false,false,1", "32,32,128,false,false,1", "7,24,96,false,false,1", "1,1,1,false,false,0",
                "33,17,65,true,false,0.5", "64,48,80,false,true,1", "19,300,7,true,true,0"})
    void matchesTheCpuGemm(int m, int n, int k, boolean tA, boolean tB, float beta) {
        int lda = (tA ? m : k) + 3, ldb = (tB ? k : n) + 1, ldc = n + 2;
        float[] a = gaussian((tA ? k : m) * lda, 1), b = gaussian((tB ? n : k) * ldb, 2), c = gaussian(m * ldc, 3);
        try (DeviceBuffer ac = cpu.allocate(a.length); DeviceBuffer bc = cpu.allocate(b.length);
             DeviceBuffer cc = cpu.allocate(c.length); DeviceBuffer ag = gpu.allocate(a.length);
             DeviceBuffer bg = gpu.allocate(b.length); DeviceBuffer cg = gpu.allocate(c.length)) {
            cpu.upload(a, ac); cpu.upload(b, bc); cpu.upload(c, cc);
            gpu.upload(a, ag); gpu.upload(b, bg); gpu.upload(c, cg);
            cpu.gemm(tA, tB, m, n, k, 1.3f, ac, 0, lda, bc, 0, ldb, beta, cc, 0, ldc);
            gpu.stepGemm(tA, tB, m, n, k, 1.3f, ag, 0, lda, bg, 0, ldb, beta, cg, 0, ldc);
            double e = RelativeError.of(gpu.toHost(cg), cpu.toHost(cc));
            assertTrue(e <= Tolerances.FP32_OP, "relative error " + e);
        }
    }

    @Test
    void trainingStepsWithTheLtGemmMatchTheCpu() {
        AutoencoderSpec spec = new AutoencoderSpec(CellType.GRU, 3, 32, 1, true, 6);
        int steps = 12, batch = 16;
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = 1 + (b * 7) % steps;
        lengths[0] = steps;
        float[] hx = gaussian(steps * batch * 3, 4);
        try (SequenceAutoencoder mc = new SequenceAutoencoder(cpu, spec, 5);
             SequenceAutoencoder mg = new SequenceAutoencoder(gpu, spec, 5);
             Adam ac = new Adam(cpu, mc.parameters(), 3e-3, 0); Adam ag = new Adam(gpu, mg.parameters(), 3e-3, 0);
             SequenceMask kc = new SequenceMask(cpu, lengths, steps); SequenceMask kg = new SequenceMask(gpu, lengths, steps);
             DeviceBuffer xc = cpu.allocate(hx.length); DeviceBuffer xg = gpu.allocate(hx.length)) {
            cpu.upload(hx, xc);
            gpu.upload(hx, xg);
            for (int i = 0; i < 4; i++) {  // op by op, capture, replays
                mc.zeroGrad(); mc.forward(xc, kc); mc.backward(); ac.clipGradients(1.0); ac.step();
                mg.zeroGrad(); mg.forward(xg, kg); mg.backward(); ag.clipGradients(1.0); ag.step();
            }
            for (var e : mc.namedParameters().entrySet()) {
                Parameter pg = mg.parameter(e.getKey());
                double we = RelativeError.of(pg.get(), e.getValue().get());
                assertTrue(we <= Tolerances.TRAINING_STEP, e.getKey() + " weights: relative error " + we);
            }
        }
    }
}
