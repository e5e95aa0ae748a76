package org.rnnclust.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cublas.cublasLtContext;
import org.bytedeco.cuda.cublas.cublasLtMatmulAlgo_t;
import org.bytedeco.cuda.cublas.cublasLtMatmulDescOpaque_t;
import org.bytedeco.cuda.cublas.cublasLtMatmulHeuristicResult_t;
import org.bytedeco.cuda.cublas.cublasLtMatmulPreferenceOpaque_t;
import org.bytedeco.cuda.cublas.cublasLtMatrixLayoutOpaque_t;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.rnnclust.backend.Resources;

/**
 * The per-step GEMM of a recurrence's backward (dh += dGates·W_hh: B × H × 4H) through cuBLASLt
 * with an algorithm that does not split K. cuBLAS's own heuristic runs that shape split-K on an
 * H100 (a 6.8 µs GEMM and a 3.9 µs reduction kernel for 1 µs of arithmetic), and a time step waits
 * for both. Here the heuristic is asked with the reduction schemes masked to none, and of its
 * answers the first whose split-K count is 1 is kept, per shape; a shape without one goes back
 * to cublasSgemm. FP32 only (TF32 contexts keep cublasSgemm). The plans are made outside graph
 * capture (on a shape's first, op-by-op run) and the workspace is fixed, so the matmuls capture.
 * Chosen by {@code -Drnnclust.cuda.stepGemm=lt}; {@code blas} (cublasSgemm) is the default. The
 * forward's per-step GEMM (h·W_hhᵀ: B × 4H × H) goes the same way, as TensorOps.stepGemmPrepared
 * calls stepGemm on both sides.
 */
final class LtStepGemm implements AutoCloseable {
    /** Workspace of the Lt matmuls: without split-K they need little or none. */
    private static final long WORKSPACE = 1L << 20;
    private static final int CANDIDATES = 8;

    /** One shape's descriptors and algorithm; null algo: no algorithm without split-K (use cublasSgemm). */
    private record Plan(cublasLtMatmulDescOpaque_t desc, cublasLtMatrixLayoutOpaque_t a, cublasLtMatrixLayoutOpaque_t b,
                        cublasLtMatrixLayoutOpaque_t c, cublasLtMatmulHeuristicResult_t results, cublasLtMatmulAlgo_t algo) {}

    private record Shape(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {}

    private final cublasLtContext handle = new cublasLtContext();
    private boolean created;
    private final CUstream_st stream;
    private final DeviceMemory workspace;
    private final Map<Shape, Plan> plans = new HashMap<>();

    LtStepGemm(CUstream_st stream) {
        this.stream = stream;
        Cuda.checkBlas("cublasLtCreate", cublas.cublasLtCreate(handle));
        created = true;
        try {
            workspace = new DeviceMemory(WORKSPACE, "cuBLASLt workspace");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Row-major C = alpha·op(A)·op(B) + beta·C at device addresses; false when this shape has no
     * algorithm without split-K (nothing issued: the caller runs cublasSgemm).
     */
    boolean gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer alpha, long a, int lda,
                 FloatPointer beta, long b, int ldb, long c, int ldc) {
        Shape s = new Shape(transA, transB, m, n, k, lda, ldb, ldc);
        Plan p = plans.get(s);
        if (p == null) {
            p = plan(s);
            plans.put(s, p);
        }
        if (p.algo() == null) return false;
        // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: B is Lt's first operand.
        Cuda.checkBlas("cublasLtMatmul(" + m + "x" + n + "x" + k + ")", cublas.cublasLtMatmul(handle, p.desc(), alpha,
                DeviceMemory.pointerAt(b), p.a(), DeviceMemory.pointerAt(a), p.b(), beta, DeviceMemory.pointerAt(c), p.c(),
                DeviceMemory.pointerAt(c), p.c(), p.algo(), DeviceMemory.pointerAt(workspace.address()), WORKSPACE, stream));
        return true;
    }

    private Plan plan(Shape s) {
        PointerPointer<Pointer> out = new PointerPointer<>(1);
        int opFirst = s.transB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int opSecond = s.transA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        Cuda.checkBlas("cublasLtMatmulDescCreate", cublas.cublasLtMatmulDescCreate(out, cublas.CUBLAS_COMPUTE_32F,
                cudart.CUDA_R_32F));
        cublasLtMatmulDescOpaque_t desc = new cublasLtMatmulDescOpaque_t(out.get(0));
        try (IntPointer op = new IntPointer(1)) {
            op.put(0, opFirst);
            Cuda.checkBlas("cublasLtMatmulDescSetAttribute(TRANSA)", cublas.cublasLtMatmulDescSetAttribute(desc,
                    cublas.CUBLASLT_MATMUL_DESC_TRANSA, op, 4));
            op.put(0, opSecond);
            Cuda.checkBlas("cublasLtMatmulDescSetAttribute(TRANSB)", cublas.cublasLtMatmulDescSetAttribute(desc,
                    cublas.CUBLASLT_MATMUL_DESC_TRANSB, op, 4));
        }
        // Column-major: the first operand is op(B)ᵀ, n×k (stored k×n when transposed), the second
        // op(A)ᵀ, k×m (stored m×k when transposed), the result n×m.
        cublasLtMatrixLayoutOpaque_t first = layout(out, s.transB() ? s.k() : s.n(), s.transB() ? s.n() : s.k(), s.ldb());
        cublasLtMatrixLayoutOpaque_t second = layout(out, s.transA() ? s.m() : s.k(), s.transA() ? s.k() : s.m(), s.lda());
        cublasLtMatrixLayoutOpaque_t result = layout(out, s.n(), s.m(), s.ldc());
        Cuda.checkBlas("cublasLtMatmulPreferenceCreate", cublas.cublasLtMatmulPreferenceCreate(out));
        cublasLtMatmulPreferenceOpaque_t pref = new cublasLtMatmulPreferenceOpaque_t(out.get(0));
        cublasLtMatmulHeuristicResult_t results = new cublasLtMatmulHeuristicResult_t(CANDIDATES);
        cublasLtMatmulAlgo_t chosen = null;
        try (LongPointer bytes = new LongPointer(1); IntPointer mask = new IntPointer(1); IntPointer found = new IntPointer(1);
             IntPointer splits = new IntPointer(1); SizeTPointer written = new SizeTPointer(1)) {
            bytes.put(0, WORKSPACE);
            Cuda.checkBlas("cublasLtMatmulPreferenceSetAttribute(workspace)", cublas.cublasLtMatmulPreferenceSetAttribute(
                    pref, cublas.CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, bytes, 8));
            mask.put(0, cublas.CUBLASLT_REDUCTION_SCHEME_NONE);
            Cuda.checkBlas("cublasLtMatmulPreferenceSetAttribute(reduction)", cublas.cublasLtMatmulPreferenceSetAttribute(
                    pref, cublas.CUBLASLT_MATMUL_PREF_REDUCTION_SCHEME_MASK, mask, 4));
            int status = cublas.cublasLtMatmulAlgoGetHeuristic(handle, desc, first, second, result, result, pref,
                    CANDIDATES, results, found);
            if (status == cublas.CUBLAS_STATUS_SUCCESS) {
                for (int i = 0; i < found.get(0) && chosen == null; i++) {
                    cublasLtMatmulHeuristicResult_t r = results.getPointer(i);
                    if (r.state() != cublas.CUBLAS_STATUS_SUCCESS || r.workspaceSize() > WORKSPACE) continue;
                    splits.put(0, 1);
                    int got = cublas.cublasLtMatmulAlgoConfigGetAttribute(r.algo(), cublas.CUBLASLT_ALGO_CONFIG_SPLITK_NUM,
                            splits, 4, written);
                    if (got == cublas.CUBLAS_STATUS_SUCCESS && splits.get(0) <= 1) chosen = r.algo();
                }
            } else if (status != cublas.CUBLAS_STATUS_NOT_SUPPORTED) {
                Cuda.checkBlas("cublasLtMatmulAlgoGetHeuristic", status);
            }
        } finally {
            cublas.cublasLtMatmulPreferenceDestroy(pref);
        }
        return new Plan(desc, first, second, result, results, chosen);
    }

    private static cublasLtMatrixLayoutOpaque_t layout(PointerPointer<Pointer> out, int rows, int cols, int ld) {
        Cuda.checkBlas("cublasLtMatrixLayoutCreate", cublas.cublasLtMatrixLayoutCreate(out, cudart.CUDA_R_32F, rows, cols,
                ld));
        return new cublasLtMatrixLayoutOpaque_t(out.get(0));
    }

    /** Shapes planned, and how many of them found an algorithm without split-K (tests, logs). */
    int[] planned() {
        int with = 0;
        for (Plan p : plans.values()) if (p.algo() != null) with++;
        return new int[] {plans.size(), with};
    }

    @Override
    public void close() {
        for (Plan p : plans.values()) {
            cublas.cublasLtMatrixLayoutDestroy(p.a());
            cublas.cublasLtMatrixLayoutDestroy(p.b());
            cublas.cublasLtMatrixLayoutDestroy(p.c());
            cublas.cublasLtMatmulDescDestroy(p.desc());
            p.results().close();
        }
        plans.clear();
        Resources.closeAll(workspace, this::destroy);
    }

    private void destroy() {
        if (!created) return;
        created = false;
        int s = cublas.cublasLtDestroy(handle);
        if (s != 0) throw new CudaException("cublasLtDestroy: status " + s, s);
    }
}
