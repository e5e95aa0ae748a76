package org.rnnclust.backend.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.rnnclust.backend.CheckedKrylovSpace;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.ScaledSparseMatrix;

/**
 * The block Krylov solver's vectors on the GPU, in double: the sparse matrix uploaded once (CSR),
 * the basis Q and its products AQ as column-major n × capacity blocks that grow by doubling, and
 * the candidates beside them. The sparse products are kernels/spectral.cu's scaledSparseProduct,
 * a block at a time (the CPU's bits); the Gram–Schmidt steps, projections and Ritz combinations
 * are cuBLAS double-precision calls (their sums in cuBLAS's order, so the last bits differ from
 * the CPU's).
 *
 * <p>What crosses the bus, for n rows, a basis of s, blocks of b and count wanted pairs: the
 * matrix once (4(n + 1) + 12·nnz + 8n bytes) and the random start once (8·n·b); per candidate, its
 * two norms (16 bytes down); per block, the projection's new columns (2 · 8·s·b down); per
 * Rayleigh–Ritz step, the small eigenvectors and values up (8·s·count + 8·count) and the residuals
 * and sign positions down (12·count); and the Ritz vectors once at the end (8·n·count). At MNIST's
 * size (n = 10,000 with 10 neighbours, b = count = 20, s ≈ 760 in 38 blocks) that is about 11 MB
 * in all, the projections' 4.7 MB the largest part; a basis held on the host would move each
 * block's products down and its orthonormalised vectors up, 3.2 MB a block, about 120 MB.
 */
final class CudaKrylovSpace extends CheckedKrylovSpace {
    private static final int BLOCK = 256;
    private static final int MIN_CAPACITY = 64;

    private final CudaContext ctx;
    private final int maxBasis;
    private final DoublePointer one = new DoublePointer(1.0);
    private final DoublePointer zero = new DoublePointer(0.0);
    private final DoublePointer minusOne = new DoublePointer(-1.0);
    private final DoublePointer scalar = new DoublePointer(1);
    private DeviceMemory rowStart;
    private DeviceMemory column;
    private DeviceMemory weight;
    private DeviceMemory scale;
    private DeviceMemory q;           // n × capacity
    private DeviceMemory aq;          // n × capacity
    private int capacity;
    private DeviceMemory next;        // n × candidate capacity
    private DeviceMemory coefficients; // capacity doubles: one Gram–Schmidt pass's Qᵀv
    private DeviceMemory small;       // projections and the Ritz step's inputs and outputs
    private DeviceMemory ritz;        // the Ritz vectors U and AQ·W, n × count each
    private int[] largest;

    CudaKrylovSpace(CudaContext ctx, ScaledSparseMatrix a, int maxBasis) {
        super(a);
        this.ctx = ctx;
        this.maxBasis = Math.max(1, Math.min(n, maxBasis));
        ctx.bind();
        try {
            rowStart = new DeviceMemory(4L * (n + 1), "sparse row offsets");
            column = new DeviceMemory(Math.max(4L, 4L * a.nonzeros()), "sparse columns");
            weight = new DeviceMemory(Math.max(8L, 8L * a.nonzeros()), "sparse weights");
            scale = new DeviceMemory(8L * n, "sparse scale");
            try (IntPointer hs = new IntPointer(a.rowStart()); IntPointer hc = new IntPointer(a.column());
                 DoublePointer hw = new DoublePointer(a.weight()); DoublePointer hd = new DoublePointer(a.scale())) {
                ctx.copyToDevice(rowStart.address(), hs, 4L * (n + 1), "sparse row offsets");
                if (a.nonzeros() > 0) {
                    ctx.copyToDevice(column.address(), hc, 4L * a.nonzeros(), "sparse columns");
                    ctx.copyToDevice(weight.address(), hw, 8L * a.nonzeros(), "sparse weights");
                }
                ctx.copyToDevice(scale.address(), hd, 8L * n, "sparse scale");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Room for {@code need} basis vectors (and their products): doubles the blocks up to the expected basis size. */
    private void reserve(int need) {
        if (need <= capacity) return;
        int want = Math.min(n, Math.max(need, Math.min(maxBasis, Math.max(MIN_CAPACITY, 2 * capacity))));
        DeviceMemory newQ = null;
        DeviceMemory newAq = null;
        DeviceMemory newCoefficients = null;
        try {
            newQ = new DeviceMemory(8L * n * want, "Krylov basis");
            newAq = new DeviceMemory(8L * n * want, "Krylov products");
            newCoefficients = new DeviceMemory(8L * want, "Gram-Schmidt coefficients");
        } catch (RuntimeException e) {
            Resources.closeAll(newQ, newAq, newCoefficients);
            throw e;
        }
        if (size > 0) {
            ctx.copyAsync(newQ.address(), q.address(), 8L * n * size, cudart.cudaMemcpyDeviceToDevice, "basis");
            ctx.copyAsync(newAq.address(), aq.address(), 8L * n * size, cudart.cudaMemcpyDeviceToDevice, "products");
        }
        ctx.synchronize(ctx.computeStream(), "basis copy");
        Resources.closeAll(q, aq, coefficients);
        q = newQ;
        aq = newAq;
        coefficients = newCoefficients;
        capacity = want;
    }

    private void reserveCandidates(int count) {
        if (next != null && next.bytes() >= 8L * n * count) return;
        ctx.synchronize(ctx.computeStream(), "candidates");
        if (next != null) next.close();
        next = null;
        next = new DeviceMemory(8L * n * count, "Krylov candidates");
    }

    private DeviceMemory grow(DeviceMemory m, long bytes, String what) {
        if (m != null && m.bytes() >= bytes) return m;
        ctx.synchronize(ctx.computeStream(), what);
        if (m != null) m.close();
        return new DeviceMemory(bytes, what);
    }

    private long vectorAt(DeviceMemory block, long j) {
        return block.at(8L * n * j);
    }

    @Override
    protected void setCandidatesImpl(double[] vectors, int count) {
        ctx.bind();
        reserveCandidates(count);
        try (DoublePointer h = new DoublePointer(vectors)) {
            ctx.copyToDevice(next.address(), h, 8L * n * count, "start vectors");
        }
    }

    @Override
    protected void candidatesFromProductsImpl(int from, int to) {
        ctx.bind();
        reserveCandidates(to - from);
        ctx.copyAsync(next.address(), vectorAt(aq, from), 8L * n * (to - from), cudart.cudaMemcpyDeviceToDevice,
                "candidates");
    }

    @Override
    protected boolean appendCandidateImpl(int c, double minRemaining) {
        ctx.bind();
        reserve(size + 1);
        long v = vectorAt(q, size);
        ctx.copyAsync(v, vectorAt(next, c), 8L * n, cudart.cudaMemcpyDeviceToDevice, "candidate");
        double first = Math.sqrt(dot(v, v));
        if (first == 0) return false;
        for (int pass = 0; pass < 2 && size > 0; pass++) {
            // coefficients = Qᵀv, then v −= Q·coefficients
            Cuda.checkBlas("cublasDgemv(Qᵀv)", cublas.cublasDgemv_v2(ctx.blas(), cublas.CUBLAS_OP_T, n, size, one,
                    CudaMemory.doublesAt(q.address()), n, CudaMemory.doublesAt(v), 1, zero,
                    CudaMemory.doublesAt(coefficients.address()), 1));
            Cuda.checkBlas("cublasDgemv(v - Qc)", cublas.cublasDgemv_v2(ctx.blas(), cublas.CUBLAS_OP_N, n, size, minusOne,
                    CudaMemory.doublesAt(q.address()), n, CudaMemory.doublesAt(coefficients.address()), 1, one,
                    CudaMemory.doublesAt(v), 1));
        }
        double left = Math.sqrt(dot(v, v));
        if (left <= minRemaining * first) return false;
        scalar.put(0, 1 / left);
        Cuda.checkBlas("cublasDscal", cublas.cublasDscal_v2(ctx.blas(), n, scalar, CudaMemory.doublesAt(v), 1));
        return true;
    }

    /** x·y over n doubles on the device (cuBLAS in host pointer mode: waits for the result). */
    private double dot(long x, long y) {
        Cuda.checkBlas("cublasDdot", cublas.cublasDdot_v2(ctx.blas(), n, CudaMemory.doublesAt(x), 1,
                CudaMemory.doublesAt(y), 1, scalar));
        return scalar.get(0);
    }

    @Override
    protected void multiplyImpl(int from) {
        ctx.bind();
        launchProduct(vectorAt(q, from), vectorAt(aq, from), size - from);
    }

    private void launchProduct(long x, long y, int cols) {
        SpectralKernels.scaledSparseProduct.launch(ctx, ctx.gridFor((long) n * cols, BLOCK), BLOCK, 0, n, cols,
                rowStart.address(), column.address(), weight.address(), scale.address(), x, y);
    }

    /** y = A·x for {@code cols} host vectors given one after another: the sparse product alone, for the parity tests. */
    double[] product(double[] x, int cols) {
        ctx.bind();
        try (DeviceMemory dx = new DeviceMemory(8L * n * cols, "product input");
             DeviceMemory dy = new DeviceMemory(8L * n * cols, "product output");
             DoublePointer h = new DoublePointer(x)) {
            ctx.copyToDevice(dx.address(), h, 8L * n * cols, "product input");
            launchProduct(dx.address(), dy.address(), cols);
            ctx.copyToHost(h, dy.address(), 8L * n * cols, "product output");
            double[] y = new double[n * cols];
            h.get(y);
            return y;
        }
    }

    @Override
    protected double[] projectionImpl(int from) {
        ctx.bind();
        int s = size;
        int nb = s - from;
        long g = (long) s * nb;
        small = grow(small, 16L * g, "projection");
        long g1 = small.address();
        long g2 = small.at(8L * g);
        // g1 = Qᵀ·AQ_new (q_i·Aq_j), g2 = (AQ)ᵀ·Q_new (Aq_i·q_j): s × nb, column-major
        gemm(cublas.CUBLAS_OP_T, cublas.CUBLAS_OP_N, s, nb, n, q.address(), n, vectorAt(aq, from), n, g1, s, "QᵀAQ");
        gemm(cublas.CUBLAS_OP_T, cublas.CUBLAS_OP_N, s, nb, n, aq.address(), n, vectorAt(q, from), n, g2, s, "(AQ)ᵀQ");
        double[] both = new double[(int) (2 * g)];
        try (DoublePointer h = new DoublePointer(2 * g)) {
            ctx.copyToHost(h, g1, 16L * g, "projection");
            h.get(both);
        }
        double[] out = new double[(int) (((long) s * (s + 1) - (long) from * (from + 1)) / 2)];
        int e = 0;
        for (int j = from; j < s; j++) {
            int col = (j - from) * s;
            for (int i = 0; i <= j; i++) out[e++] = 0.5 * (both[col + i] + both[(int) g + col + i]);
        }
        return out;
    }

    private void gemm(int transA, int transB, int m, int cols, int k, long a, int lda, long b, int ldb, long c, int ldc,
                      String what) {
        Cuda.checkBlas("cublasDgemm(" + what + ")", cublas.cublasDgemm_v2(ctx.blas(), transA, transB, m, cols, k, one,
                CudaMemory.doublesAt(a), lda, CudaMemory.doublesAt(b), ldb, zero, CudaMemory.doublesAt(c), ldc));
    }

    @Override
    protected double[] residualsImpl(double[] w, double[] theta, int count) {
        ctx.bind();
        int s = size;
        // small: W (s × count, row-major = column-major count × s), θ, then the sums and positions
        long wBytes = 8L * s * count;
        small = grow(small, wBytes + 8L * count + 8L * count + 4L * count, "Ritz inputs");
        ritz = grow(ritz, 16L * n * count, "Ritz vectors");
        long wAddr = small.address();
        long thetaAddr = small.at(wBytes);
        long sumsAddr = small.at(wBytes + 8L * count);
        long largestAddr = small.at(wBytes + 16L * count);
        double[] up = new double[s * count + count];
        System.arraycopy(w, 0, up, 0, s * count);
        System.arraycopy(theta, 0, up, s * count, count);
        try (DoublePointer h = new DoublePointer(up)) {
            ctx.copyToDevice(wAddr, h, 8L * up.length, "Ritz coefficients");
        }
        long u = ritz.address();
        long au = ritz.at(8L * n * count);
        // U = Q·W and AU = AQ·W: W is count × s column-major, so op(W) = Wᵀ
        gemm(cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_T, n, count, s, q.address(), n, wAddr, count, u, n, "QW");
        gemm(cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_T, n, count, s, aq.address(), n, wAddr, count, au, n, "AQW");
        SpectralKernels.ritzResiduals.launch(ctx, count, BLOCK, 0, n, u, au, thetaAddr, sumsAddr, largestAddr);
        double[] residuals = new double[count];
        largest = new int[count];
        try (DoublePointer hs = new DoublePointer(count); IntPointer hl = new IntPointer(count)) {
            ctx.copyToHost(hs, sumsAddr, 8L * count, "Ritz residuals");
            ctx.copyToHost(hl, largestAddr, 4L * count, "Ritz signs");
            hs.get(residuals);
            hl.get(largest);
        }
        for (int c = 0; c < count; c++) residuals[c] = Math.sqrt(residuals[c]);
        return residuals;
    }

    @Override
    protected double[] ritzVectorsImpl(int count) {
        ctx.bind();
        double[] u = new double[n * count];
        try (DoublePointer h = new DoublePointer((long) n * count)) {
            ctx.copyToHost(h, ritz.address(), 8L * n * count, "Ritz vectors");
            h.get(u);
        }
        double[] out = new double[n * count];
        for (int c = 0; c < count; c++) {
            int at = largest[c] < n ? largest[c] : 0;  // n: every component NaN, as the CPU then keeps 0
            double sign = u[c * n + at] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) out[i * count + c] = sign * u[c * n + i];
        }
        return out;
    }


    @Override
    public void close() {
        ctx.bind();
        cudart.cudaStreamSynchronize(ctx.computeStream());
        try {
            Resources.closeAll(rowStart, column, weight, scale, q, aq, next, coefficients, small, ritz, one, zero,
                    minusOne, scalar);
        } finally {
            rowStart = column = weight = scale = q = aq = next = coefficients = small = ritz = null;
            capacity = 0;
        }
    }
}
