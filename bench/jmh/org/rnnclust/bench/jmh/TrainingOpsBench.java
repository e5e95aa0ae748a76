package org.rnnclust.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.cpu.CpuOps;

/** CPU hot paths of a training step: one fused LSTM/GRU cell step (forward, backward) and an Adam update. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingOpsBench {
    @Param({"256"})
    public int batch;

    @Param({"128"})
    public int hidden;

    @Param({"2"})
    public int threads;

    private CpuOps ops;
    private DeviceBuffer xProj, hProj, biasIh, biasHh, mask, hPrev, cPrev, h, c, out, ws, dh, dc, dGates, dGatesHh;
    private DeviceBuffer param, grad, m, v;
    private long paramCount;
    private int step;

    @Setup(Level.Trial)
    public void setUp() {
        ops = new CpuOps(threads);
        int g = 4 * hidden;
        long bg = (long) batch * g;
        long bh = (long) batch * hidden;
        xProj = filled(bg, 1);
        hProj = filled(bg, 2);
        biasIh = filled(g, 3);
        biasHh = filled(g, 4);
        float[] ones = new float[batch];
        java.util.Arrays.fill(ones, 1f);
        mask = ops.allocate(batch);
        ops.upload(ones, mask);
        hPrev = filled(bh, 5);
        cPrev = filled(bh, 6);
        h = ops.allocate(bh);
        c = ops.allocate(bh);
        out = ops.allocate(bh);
        ws = ops.allocate(bg);
        dh = filled(bh, 7);
        dc = filled(bh, 8);
        dGates = ops.allocate(bg);
        dGatesHh = ops.allocate(bg);
        paramCount = 1L << 20;
        param = filled(paramCount, 9);
        grad = filled(paramCount, 10);
        m = ops.allocate(paramCount);
        v = ops.allocate(paramCount);
    }

    private DeviceBuffer filled(long n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextDouble() - 0.5);
        DeviceBuffer b = ops.allocate(n);
        ops.upload(a, b);
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
    }

    @Benchmark
    public void lstmCellForward() {
        ops.lstmForward(batch, hidden, xProj, 0, hProj, 0, biasIh, biasHh, mask, 0, hPrev, 0, cPrev, 0, h, 0, c, 0,
                out, 0, hidden, ws, 0);
    }

    @Benchmark
    public void lstmCellBackward() {
        ops.lstmBackward(batch, hidden, ws, 0, mask, 0, cPrev, 0, c, 0, null, 0, hidden, dh, 0, dc, 0, dGates, 0);
    }

    @Benchmark
    public void gruCellForward() {
        ops.gruForward(batch, hidden, xProj, 0, hProj, 0, biasIh, biasHh, mask, 0, hPrev, 0, h, 0, out, 0, hidden, ws, 0);
    }

    /** Adam on 1 Mi parameters. */
    @Benchmark
    public void adamUpdate() {
        ops.adam(paramCount, param, 0, grad, 0, m, 0, v, 0, 1e-3, 0.9, 0.999, 1e-8, 0, ++step);
    }
}
