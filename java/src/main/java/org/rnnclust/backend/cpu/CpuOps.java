package org.rnnclust.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Pointer;
import org.rnnclust.backend.BufferRanges;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * {@link TensorOps} on the CPU: the reference implementation. One pool of {@code threads} Java
 * threads does all the parallel work: GEMMs are split into row (or column) blocks, each a
 * single-threaded OpenBLAS call, and the pointwise ops into row ranges. OpenBLAS itself runs with
 * one thread (as for {@link CpuBackend}'s k-means): its own pool spins between calls and fights
 * the Java threads for the cores during the pointwise op of every time step (measured on 2 cores:
 * 0.7 s per LSTM training step at B,T,I,H = 256,28,28,128 with both pools, 31 ms with this one).
 * Pointwise loops stage rows into per-thread heap arrays and run plain float loops that the JIT
 * vectorises; the cell steps run in the native library, or in {@link CpuCells} without it. Safe
 * to share between threads: calls from several threads at once share the pool and give the
 * results each would get alone (buffers, and the networks that own them, are not shared).
 *
 * <p>The time loop of a recurrent layer is the exception to op-by-op splitting: its ops are small
 * (a B×4H×H GEMM and a B×H cell update per step) and a hand-off per op costs about as much as it
 * saves. {@link #forEachRowRange} instead gives each thread its own batch rows for the whole loop,
 * on a single-threaded lane of this object, so the threads meet once per layer.
 *
 * <p>GEMM speed depends on the OpenBLAS kernel: on an AVX-512 AMD Zen 5, OpenBLAS 0.3.31 picks an
 * AVX2 kernel, and {@code OPENBLAS_CORETYPE=SKYLAKEX} makes the GEMMs of a training step about
 * 1.9× faster.
 */
public final class CpuOps implements TensorOps {
    /** GEMM flops below which a call stays on one thread (~20 µs of work). */
    static final long MIN_GEMM_FLOPS = 2L << 20;
    /** Pointwise element updates below which a loop stays on one thread. */
    static final long MIN_POINTWISE = 1L << 15;
    /** Work (≈ flops) per part below which {@link #forEachRowRange} stays on one thread. */
    static final long MIN_ROW_RANGE_WORK = 4L << 20;
    /** Row ranges start at multiples of this, so that each lane's GEMMs keep whole register tiles. */
    private static final int ROW_RANGE_ALIGN = 8;

    private final int threads;
    private final long minGemmFlops;
    private final long minPointwise;
    private final long minRowRangeWork;
    /** Cell steps in native/cpu/cells.c when the native library loaded, else in {@link CpuCells}. */
    private final boolean nativeCells;
    private final CpuParallel parallel;
    /**
     * Staging arrays of the thread running a loop part. Per thread rather than per part, so that
     * several callers may use one CpuOps at once: their parts run on the same pool and the callers'
     * own threads, and two parts numbered alike must not share arrays. Lanes share it too.
     */
    private final ThreadLocal<StagingArrays> scratch;
    /** The instance that allocated the buffers: this one, or the parent of a lane. */
    private final CpuOps root;
    /**
     * Single-threaded views of this object for {@link #forEachRowRange}, one per thread (null
     * with one thread, and in a lane): a lane runs every op inline on the thread that calls it.
     */
    private final CpuOps[] lanes;

    public CpuOps(int threads) {
        this(threads, MIN_GEMM_FLOPS, MIN_POINTWISE, MIN_ROW_RANGE_WORK, NativeCpu.available());
    }

    /** With the cell steps in Java ({@link CpuCells}) even where the native library loaded: parity tests. */
    static CpuOps javaCells(int threads) {
        return new CpuOps(threads, MIN_GEMM_FLOPS, MIN_POINTWISE, MIN_ROW_RANGE_WORK, false);
    }

    /**
     * For parity tests in other packages: splits every op and every {@link #forEachRowRange} that
     * can be split, so that the multi-threaded paths run at test sizes.
     */
    public static CpuOps splittingEverything(int threads) {
        return new CpuOps(threads, 1, 1, 1, NativeCpu.available());
    }

    /** With other split thresholds: tests use 1s to split every op across all threads. */
    CpuOps(int threads, long minGemmFlops, long minPointwise, long minRowRangeWork, boolean nativeCells) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.minGemmFlops = minGemmFlops;
        this.minPointwise = minPointwise;
        this.minRowRangeWork = minRowRangeWork;
        this.nativeCells = nativeCells;
        OpenBlas.load();
        OpenBlas.setThreads(1);
        this.threads = threads;
        this.parallel = new CpuParallel(threads);
        this.scratch = ThreadLocal.withInitial(StagingArrays::new);
        this.root = this;
        if (threads > 1) {
            this.lanes = new CpuOps[threads];
            for (int i = 0; i < threads; i++) lanes[i] = new CpuOps(this);
        } else {
            this.lanes = null;
        }
    }

    /** A lane of {@code root}: runs every op inline on its caller, on the root's buffers. */
    private CpuOps(CpuOps root) {
        this.minGemmFlops = root.minGemmFlops;
        this.minPointwise = root.minPointwise;
        this.minRowRangeWork = root.minRowRangeWork;
        this.nativeCells = root.nativeCells;
        this.threads = 1;
        this.parallel = new CpuParallel(1);
        this.scratch = root.scratch;
        this.root = root;
        this.lanes = null;
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    // ---- memory ----

    @Override
    public DeviceBuffer allocate(long size) {
        return new CpuBuffer(root, size);
    }

    @Override
    public void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int n) {
        CpuBuffer d = check(dst, dstOff, n);
        d.data.put((int) dstOff, src, srcOff, n);
    }

    @Override
    public void download(DeviceBuffer src, long srcOff, float[] dst, int dstOff, int n) {
        CpuBuffer s = check(src, srcOff, n);
        s.data.get((int) srcOff, dst, dstOff, n);
    }

    @Override
    public void zero(DeviceBuffer buf, long off, long n) {
        CpuBuffer b = check(buf, off, n);
        if (n > 0) Pointer.memset(b.bytesAt(off), 0, n * Float.BYTES);
    }

    @Override
    public void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long n) {
        CpuBuffer s = check(src, srcOff, n);
        CpuBuffer d = check(dst, dstOff, n);
        if (n > 0) Pointer.memcpy(d.bytesAt(dstOff), s.bytesAt(srcOff), n * Float.BYTES);
    }

    @Override
    public void transpose01(int d0, int d1, int inner, DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff) {
        long n = (long) d0 * d1 * inner;
        FloatBuffer s = check(src, srcOff, n).data;
        FloatBuffer d = check(dst, dstOff, n).data;
        int so = (int) srcOff;
        int dof = (int) dstOff;
        if (inner == 1) {
            // A plain matrix transpose (W_hh to W_hhᵀ): element by element, a bulk call per float costs more.
            parallel.run(d0, parallel.parts(n, minPointwise), 1, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < d1; j++) d.put(dof + j * d0 + i, s.get(so + i * d1 + j));
                }
            });
            return;
        }
        parallel.run(d0, parallel.parts(n, minPointwise), 1, (part, from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < d1; j++) {
                    // Bulk copy of one inner row (a memcpy).
                    d.put(dof + (j * d0 + i) * inner, s, so + (i * d1 + j) * inner, inner);
                }
            }
        });
    }

    // ---- independent row ranges ----

    @Override
    public void forEachRowRange(int rows, long workPerRow, RowRangeTask task) {
        int parts = lanes == null ? 1 : parallel.parts((long) rows * workPerRow, minRowRangeWork);
        if (parts <= 1) {
            task.run(this, 0, rows);
            return;
        }
        parallel.run(rows, parts, ROW_RANGE_ALIGN, (part, from, to) -> task.run(lanes[part], from, to));
    }

    // ---- BLAS ----

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, long offA, int lda, DeviceBuffer b, long offB, int ldb,
                     float beta, DeviceBuffer c, long offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative GEMM size " + m + "x" + n + "x" + k);
        CpuBuffer ca = checkMatrix(a, offA, transA ? k : m, transA ? m : k, lda, "A");
        CpuBuffer cb = checkMatrix(b, offB, transB ? n : k, transB ? k : n, ldb, "B");
        CpuBuffer cc = checkMatrix(c, offC, m, n, ldc, "C");
        if (m == 0 || n == 0) return;
        int la = Math.max(1, lda);
        int lb = Math.max(1, ldb);
        int lc = Math.max(1, ldc);
        int parts = parallel.parts(2L * m * n * k, minGemmFlops);
        if (m >= n) {
            // Blocks of C's rows: rows of op(A) (columns of A when transposed).
            parallel.run(m, parts, 16, (part, from, to) -> OpenBlas.sgemm(transA, transB, to - from, n, k, alpha,
                    ca.at(offA + (transA ? from : (long) from * lda)), la, cb.at(offB), lb,
                    beta, cc.at(offC + (long) from * ldc), lc));
        } else {
            // Blocks of C's columns: columns of op(B) (rows of B when transposed).
            parallel.run(n, parts, 16, (part, from, to) -> OpenBlas.sgemm(transA, transB, m, to - from, k, alpha,
                    ca.at(offA), la, cb.at(offB + (transB ? (long) from * ldb : from)), lb,
                    beta, cc.at(offC + from), lc));
        }
    }

    // ---- elementwise and reductions ----

    @Override
    public void addRowVector(int rows, int cols, DeviceBuffer bias, DeviceBuffer dst, long dstOff, int ld) {
        FloatBuffer bv = check(bias, 0, cols).data;
        FloatBuffer d = checkMatrix(dst, dstOff, rows, cols, ld, "dst").data;
        int o = (int) dstOff;
        parallel.run(rows, parallel.parts((long) rows * cols, minPointwise), 1, (part, from, to) -> {
            float[] bh = scratch.get().get(0, cols);
            float[] row = scratch.get().get(1, cols);
            bv.get(0, bh, 0, cols);
            for (int r = from; r < to; r++) {
                d.get(o + r * ld, row, 0, cols);
                for (int j = 0; j < cols; j++) row[j] += bh[j];
                d.put(o + r * ld, row, 0, cols);
            }
        });
    }

    @Override
    public void addColumnSums(int rows, int cols, DeviceBuffer src, long srcOff, int ld, DeviceBuffer dst, long dstOff) {
        FloatBuffer s = checkMatrix(src, srcOff, rows, cols, ld, "src").data;
        FloatBuffer d = check(dst, dstOff, cols).data;
        int so = (int) srcOff;
        int dof = (int) dstOff;
        // Parallel over column blocks, each thread owning its sums. Rows are summed in float within
        // blocks of 64 (a vectorised loop), and the block sums in double.
        parallel.run(cols, parallel.parts((long) rows * cols, minPointwise), 8, (part, from, to) -> {
            int w = to - from;
            float[] block = scratch.get().get(0, w);
            float[] row = scratch.get().get(1, w);
            double[] acc = new double[w];
            for (int r0 = 0; r0 < rows; r0 += 64) {
                java.util.Arrays.fill(block, 0, w, 0f);
                for (int r = r0; r < Math.min(rows, r0 + 64); r++) {
                    s.get(so + r * ld + from, row, 0, w);
                    for (int j = 0; j < w; j++) block[j] += row[j];
                }
                for (int j = 0; j < w; j++) acc[j] += block[j];
            }
            for (int j = 0; j < w; j++) d.put(dof + from + j, (float) (d.get(dof + from + j) + acc[j]));
        });
    }

    @Override
    public double sumSquares(DeviceBuffer x, long off, long n) {
        FloatBuffer v = check(x, off, n).data;
        int o = (int) off;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = v.get(o + i);
            sum += e * e;
        }
        return sum;
    }

    @Override
    public void scale(DeviceBuffer x, long off, long n, float alpha) {
        FloatBuffer v = check(x, off, n).data;
        int o = (int) off;
        for (int i = 0; i < n; i++) v.put(o + i, v.get(o + i) * alpha);
    }

    @Override
    public void axpy(long n, float alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
        FloatBuffer xv = check(x, xOff, n).data;
        FloatBuffer yv = check(y, yOff, n).data;
        int xo = (int) xOff;
        int yo = (int) yOff;
        for (int i = 0; i < n; i++) yv.put(yo + i, yv.get(yo + i) + alpha * xv.get(xo + i));
    }

    // ---- loss ----

    @Override
    public double mseLoss(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target, long targetOff,
                          DeviceBuffer rowWeight, long weightOff) {
        long n = (long) rows * cols;
        FloatBuffer p = check(pred, predOff, n).data;
        FloatBuffer t = check(target, targetOff, n).data;
        FloatBuffer w = check(rowWeight, weightOff, rows).data;
        int po = (int) predOff;
        int to = (int) targetOff;
        int wo = (int) weightOff;
        double total = 0;
        double weights = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w.get(wo + r);
            if (wr == 0) continue;
            double row = 0;
            for (int j = 0; j < cols; j++) {
                double e = (double) p.get(po + r * cols + j) - t.get(to + r * cols + j);
                row += e * e;
            }
            total += wr * row;
            weights += wr;
        }
        return weights == 0 ? 0.0 : total / (weights * cols);
    }

    @Override
    public void mseLossBackward(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target,
                                long targetOff, DeviceBuffer rowWeight, long weightOff, float scale,
                                DeviceBuffer grad, long gradOff) {
        long n = (long) rows * cols;
        FloatBuffer p = check(pred, predOff, n).data;
        FloatBuffer t = check(target, targetOff, n).data;
        FloatBuffer w = check(rowWeight, weightOff, rows).data;
        FloatBuffer g = check(grad, gradOff, n).data;
        int po = (int) predOff;
        int to = (int) targetOff;
        int wo = (int) weightOff;
        int go = (int) gradOff;
        double weights = 0;
        for (int r = 0; r < rows; r++) weights += w.get(wo + r);
        double factor = weights == 0 ? 0.0 : 2.0 * scale / (weights * cols);
        for (int r = 0; r < rows; r++) {
            double k = factor * w.get(wo + r);
            for (int j = 0; j < cols; j++) {
                int e = r * cols + j;
                g.put(go + e, (float) (k * ((double) p.get(po + e) - t.get(to + e))));
            }
        }
    }

    // ---- soft clustering (DEC / IDEC) ----

    @Override
    public void studentTAssign(int n, int k, int d, float alpha, DeviceBuffer z, long zOff, DeviceBuffer centroids,
                               DeviceBuffer q, long qOff) {
        requirePositiveAlpha(alpha);
        CpuSoftAssignment.assign(n, k, d, alpha, check(z, zOff, (long) n * d).data, (int) zOff,
                check(centroids, 0, (long) k * d).data, check(q, qOff, (long) n * k).data, (int) qOff);
    }

    @Override
    public void decTarget(int n, int k, DeviceBuffer q, long qOff, DeviceBuffer p, long pOff) {
        CpuSoftAssignment.target(n, k, check(q, qOff, (long) n * k).data, (int) qOff, check(p, pOff, (long) n * k).data,
                (int) pOff);
    }

    @Override
    public double klDivergence(int n, int k, DeviceBuffer p, long pOff, DeviceBuffer q, long qOff) {
        return CpuSoftAssignment.kl(n, k, check(p, pOff, (long) n * k).data, (int) pOff,
                check(q, qOff, (long) n * k).data, (int) qOff);
    }

    @Override
    public void studentTKlBackward(int n, int k, int d, float alpha, DeviceBuffer z, long zOff, DeviceBuffer centroids,
                                   DeviceBuffer q, long qOff, DeviceBuffer p, long pOff, float scale,
                                   DeviceBuffer dz, long dzOff, DeviceBuffer dCentroids) {
        requirePositiveAlpha(alpha);
        CpuSoftAssignment.backward(n, k, d, alpha, check(z, zOff, (long) n * d).data, (int) zOff,
                check(centroids, 0, (long) k * d).data, check(q, qOff, (long) n * k).data, (int) qOff,
                check(p, pOff, (long) n * k).data, (int) pOff, scale, check(dz, dzOff, (long) n * d).data, (int) dzOff,
                check(dCentroids, 0, (long) k * d).data);
    }

    private static void requirePositiveAlpha(float alpha) {
        if (!(alpha > 0)) throw new IllegalArgumentException("Student-t degrees of freedom must be > 0, got " + alpha);
    }

    // ---- optimizer ----

    @Override
    public void adam(long n, DeviceBuffer param, long paramOff, DeviceBuffer grad, long gradOff,
                     DeviceBuffer m, long mOff, DeviceBuffer v, long vOff,
                     double lr, double beta1, double beta2, double eps, double weightDecay, int step) {
        if (step < 1) throw new IllegalArgumentException("Adam step counts from 1, got " + step);
        FloatBuffer p = check(param, paramOff, n).data;
        FloatBuffer g = check(grad, gradOff, n).data;
        FloatBuffer mv = check(m, mOff, n).data;
        FloatBuffer vv = check(v, vOff, n).data;
        int po = (int) paramOff;
        int go = (int) gradOff;
        int mo = (int) mOff;
        int vo = (int) vOff;
        // The float32 scalars torch.optim.Adam applies, derived in double as it does.
        float wd = (float) weightDecay;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1.0 - beta1);
        float oneMinusB2 = (float) (1.0 - beta2);
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, step)));
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
        float epsF = (float) eps;
        for (int i = 0; i < n; i++) {
            float pi = p.get(po + i);
            float gi = g.get(go + i);
            if (wd != 0f) gi += wd * pi;
            float mi = mv.get(mo + i) * b1 + oneMinusB1 * gi;
            float vi = vv.get(vo + i) * b2 + oneMinusB2 * gi * gi;
            mv.put(mo + i, mi);
            vv.put(vo + i, vi);
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + epsF;
            p.put(po + i, pi - stepSize * (mi / denom));
        }
    }

    // ---- recurrent cells: argument checks here, row loops in CpuCells ----

    private int cellParts(int batch, int hidden, int gates) {
        return parallel.parts((long) batch * hidden * gates, minPointwise);
    }

    @Override
    public void lstmForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                            long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask, long maskOff,
                            DeviceBuffer hPrev, long hPrevOff, DeviceBuffer cPrev, long cPrevOff,
                            DeviceBuffer h, long hOff, DeviceBuffer c, long cOff,
                            DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws, long wsOff) {
        long gates = (long) batch * 4 * hidden;
        long state = (long) batch * hidden;
        FloatBuffer xp = check(xProj, xProjOff, gates).data;
        FloatBuffer hp = check(hProj, hProjOff, gates).data;
        FloatBuffer bi = check(biasIh, 0, 4L * hidden).data;
        FloatBuffer bh = check(biasHh, 0, 4L * hidden).data;
        FloatBuffer mk = check(mask, maskOff, batch).data;
        FloatBuffer h0 = check(hPrev, hPrevOff, state).data;
        FloatBuffer c0 = check(cPrev, cPrevOff, state).data;
        FloatBuffer h1 = check(h, hOff, state).data;
        FloatBuffer c1 = check(c, cOff, state).data;
        FloatBuffer o = checkMatrix(out, outOff, batch, hidden, ldOut, "out").data;
        FloatBuffer w = check(ws, wsOff, gates).data;
        if (nativeCells) {
            int g = 4 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> NativeCpu.lstmForward(to - from,
                    hidden, at(xProj, xProjOff + (long) from * g), at(hProj, hProjOff + (long) from * g),
                    at(biasIh, 0), at(biasHh, 0), at(mask, maskOff + from), at(hPrev, hPrevOff + (long) from * hidden),
                    at(cPrev, cPrevOff + (long) from * hidden), at(h, hOff + (long) from * hidden),
                    at(c, cOff + (long) from * hidden), at(out, outOff + (long) from * ldOut), ldOut,
                    at(ws, wsOff + (long) from * g)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> CpuCells.lstmForward(
                from, to, hidden, xp, (int) xProjOff, hp, (int) hProjOff, bi, bh, mk, (int) maskOff,
                h0, (int) hPrevOff, c0, (int) cPrevOff, h1, (int) hOff, c1, (int) cOff, o, (int) outOff, ldOut,
                w, (int) wsOff));
    }

    @Override
    public void lstmBackward(int batch, int hidden, DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                             DeviceBuffer cPrev, long cPrevOff, DeviceBuffer c, long cOff,
                             DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer dh, long dhOff,
                             DeviceBuffer dc, long dcOff, DeviceBuffer dGates, long dGatesOff) {
        long gates = (long) batch * 4 * hidden;
        long state = (long) batch * hidden;
        FloatBuffer w = check(ws, wsOff, gates).data;
        FloatBuffer mk = check(mask, maskOff, batch).data;
        FloatBuffer c0 = check(cPrev, cPrevOff, state).data;
        FloatBuffer c1 = check(c, cOff, state).data;
        FloatBuffer dO = dOut == null ? null : checkMatrix(dOut, dOutOff, batch, hidden, ldDOut, "dOut").data;
        FloatBuffer dH = check(dh, dhOff, state).data;
        FloatBuffer dC = check(dc, dcOff, state).data;
        FloatBuffer dG = check(dGates, dGatesOff, gates).data;
        if (nativeCells) {
            int g = 4 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> NativeCpu.lstmBackward(to - from,
                    hidden, at(ws, wsOff + (long) from * g), at(mask, maskOff + from),
                    at(cPrev, cPrevOff + (long) from * hidden), at(c, cOff + (long) from * hidden),
                    dOut == null ? 0 : at(dOut, dOutOff + (long) from * ldDOut), ldDOut,
                    at(dh, dhOff + (long) from * hidden), at(dc, dcOff + (long) from * hidden),
                    at(dGates, dGatesOff + (long) from * g)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> CpuCells.lstmBackward(
                from, to, hidden, w, (int) wsOff, mk, (int) maskOff, c0, (int) cPrevOff, c1, (int) cOff,
                dO, (int) dOutOff, ldDOut, dH, (int) dhOff, dC, (int) dcOff, dG, (int) dGatesOff));
    }

    @Override
    public void gruForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                           long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask, long maskOff,
                           DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                           DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws, long wsOff) {
        long gates = (long) batch * 3 * hidden;
        long state = (long) batch * hidden;
        FloatBuffer xp = check(xProj, xProjOff, gates).data;
        FloatBuffer hp = check(hProj, hProjOff, gates).data;
        FloatBuffer bi = check(biasIh, 0, 3L * hidden).data;
        FloatBuffer bh = check(biasHh, 0, 3L * hidden).data;
        FloatBuffer mk = check(mask, maskOff, batch).data;
        FloatBuffer h0 = check(hPrev, hPrevOff, state).data;
        FloatBuffer h1 = check(h, hOff, state).data;
        FloatBuffer o = checkMatrix(out, outOff, batch, hidden, ldOut, "out").data;
        FloatBuffer w = check(ws, wsOff, 4 * state).data;
        if (nativeCells) {
            int g = 3 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> NativeCpu.gruForward(to - from,
                    hidden, at(xProj, xProjOff + (long) from * g), at(hProj, hProjOff + (long) from * g),
                    at(biasIh, 0), at(biasHh, 0), at(mask, maskOff + from), at(hPrev, hPrevOff + (long) from * hidden),
                    at(h, hOff + (long) from * hidden), at(out, outOff + (long) from * ldOut), ldOut,
                    at(ws, wsOff + 4L * from * hidden)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> CpuCells.gruForward(
                from, to, hidden, xp, (int) xProjOff, hp, (int) hProjOff, bi, bh, mk, (int) maskOff,
                h0, (int) hPrevOff, h1, (int) hOff, o, (int) outOff, ldOut, w, (int) wsOff));
    }

    @Override
    public void gruBackward(int batch, int hidden, DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                            DeviceBuffer hPrev, long hPrevOff, DeviceBuffer dOut, long dOutOff, int ldDOut,
                            DeviceBuffer dh, long dhOff, DeviceBuffer dGatesIh, long dGatesIhOff,
                            DeviceBuffer dGatesHh, long dGatesHhOff) {
        long state = (long) batch * hidden;
        FloatBuffer w = check(ws, wsOff, 4 * state).data;
        FloatBuffer mk = check(mask, maskOff, batch).data;
        FloatBuffer h0 = check(hPrev, hPrevOff, state).data;
        FloatBuffer dO = dOut == null ? null : checkMatrix(dOut, dOutOff, batch, hidden, ldDOut, "dOut").data;
        FloatBuffer dH = check(dh, dhOff, state).data;
        FloatBuffer dI = check(dGatesIh, dGatesIhOff, 3 * state).data;
        FloatBuffer dR = check(dGatesHh, dGatesHhOff, 3 * state).data;
        if (nativeCells) {
            int g = 3 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> NativeCpu.gruBackward(to - from,
                    hidden, at(ws, wsOff + 4L * from * hidden), at(mask, maskOff + from),
                    at(hPrev, hPrevOff + (long) from * hidden),
                    dOut == null ? 0 : at(dOut, dOutOff + (long) from * ldDOut), ldDOut,
                    at(dh, dhOff + (long) from * hidden), at(dGatesIh, dGatesIhOff + (long) from * g),
                    at(dGatesHh, dGatesHhOff + (long) from * g)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> CpuCells.gruBackward(
                from, to, hidden, w, (int) wsOff, mk, (int) maskOff, h0, (int) hPrevOff, dO, (int) dOutOff, ldDOut,
                dH, (int) dhOff, dI, (int) dGatesIhOff, dR, (int) dGatesHhOff));
    }

    @Override
    public void rnnTanhForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                               long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask,
                               long maskOff, DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                               DeviceBuffer out, long outOff, int ldOut) {
        long state = (long) batch * hidden;
        FloatBuffer xp = check(xProj, xProjOff, state).data;
        FloatBuffer hp = check(hProj, hProjOff, state).data;
        FloatBuffer bi = check(biasIh, 0, hidden).data;
        FloatBuffer bh = check(biasHh, 0, hidden).data;
        FloatBuffer mk = check(mask, maskOff, batch).data;
        FloatBuffer h0 = check(hPrev, hPrevOff, state).data;
        FloatBuffer h1 = check(h, hOff, state).data;
        FloatBuffer o = checkMatrix(out, outOff, batch, hidden, ldOut, "out").data;
        if (nativeCells) {
            parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> NativeCpu.rnnTanhForward(to - from,
                    hidden, at(xProj, xProjOff + (long) from * hidden), at(hProj, hProjOff + (long) from * hidden),
                    at(biasIh, 0), at(biasHh, 0), at(mask, maskOff + from), at(hPrev, hPrevOff + (long) from * hidden),
                    at(h, hOff + (long) from * hidden), at(out, outOff + (long) from * ldOut), ldOut));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> CpuCells.rnnTanhForward(
                from, to, hidden, xp, (int) xProjOff, hp, (int) hProjOff, bi, bh, mk, (int) maskOff,
                h0, (int) hPrevOff, h1, (int) hOff, o, (int) outOff, ldOut));
    }

    @Override
    public void rnnTanhBackward(int batch, int hidden, DeviceBuffer mask, long maskOff, DeviceBuffer h, long hOff,
                                DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer dh, long dhOff,
                                DeviceBuffer dGates, long dGatesOff) {
        long state = (long) batch * hidden;
        FloatBuffer mk = check(mask, maskOff, batch).data;
        FloatBuffer h1 = check(h, hOff, state).data;
        FloatBuffer dO = dOut == null ? null : checkMatrix(dOut, dOutOff, batch, hidden, ldDOut, "dOut").data;
        FloatBuffer dH = check(dh, dhOff, state).data;
        FloatBuffer dG = check(dGates, dGatesOff, state).data;
        if (nativeCells) {
            parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> NativeCpu.rnnTanhBackward(to - from,
                    hidden, at(mask, maskOff + from), at(h, hOff + (long) from * hidden),
                    dOut == null ? 0 : at(dOut, dOutOff + (long) from * ldDOut), ldDOut,
                    at(dh, dhOff + (long) from * hidden), at(dGates, dGatesOff + (long) from * hidden)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> CpuCells.rnnTanhBackward(
                from, to, hidden, mk, (int) maskOff, h1, (int) hOff, dO, (int) dOutOff, ldDOut, dH, (int) dhOff,
                dG, (int) dGatesOff));
    }

    @Override
    public void close() {
        parallel.close();
        if (lanes != null) {
            for (CpuOps lane : lanes) lane.close();
        }
    }

    // ---- argument checks: a wrong offset must fail here, not corrupt native memory ----

    /** Address of element off of a buffer that {@link #check} has accepted. */
    private static long at(DeviceBuffer buf, long off) {
        return ((CpuBuffer) buf).address(off);
    }

    private CpuBuffer cpu(DeviceBuffer buf) {
        if (!(buf instanceof CpuBuffer b) || b.owner != root) {
            throw new IllegalArgumentException("buffer " + buf + " was not allocated by this CpuOps");
        }
        if (b.isClosed()) throw new IllegalStateException("buffer used after close");
        return b;
    }

    private CpuBuffer check(DeviceBuffer buf, long off, long n) {
        CpuBuffer b = cpu(buf);
        BufferRanges.requireInside(b, off, n);
        return b;
    }

    /** A rows×cols row-major matrix with leading dimension ld starting at off. */
    private CpuBuffer checkMatrix(DeviceBuffer buf, long off, int rows, int cols, int ld, String what) {
        return check(buf, off, BufferRanges.matrixExtent(rows, cols, ld, what));
    }
}
