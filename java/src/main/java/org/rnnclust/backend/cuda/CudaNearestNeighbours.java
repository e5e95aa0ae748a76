package org.rnnclust.backend.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.rnnclust.backend.Neighbours;

/**
 * Exact kNN on the GPU: per tile of query rows, cuBLAS computes the tile's products with every
 * point (X'·X'ᵀ, FP32 even in a TF32 context, of the centred points X', whose distances are X's and
 * whose norms are smaller, so ‖a‖² + ‖b‖² − 2a·b loses less to cancellation), and one kernel
 * (kernels/spectral.cu, knnSelect) keeps each row's best candidates in a sorted list per warp, then
 * ranks them again by the CPU's own distance (float differences, squared and summed in double).
 * The list holds a margin beyond m, so the answer is the CPU's bits unless more than the margin of
 * candidates lie within the expansion's rounding of the m-th distance (then a point at a near-tied
 * distance may stand in for another). Only the n × m indices and distances come back.
 */
final class CudaNearestNeighbours {
    /** Rows a block works on side by side, one per warp. */
    private static final int WARPS = 8;
    /** Products per tile at most: the tile is written by cuBLAS and read once by knnSelect. */
    private static final long TILE_BYTES = 256L << 20;
    private static final int DEFAULT_SHARED = 48 * 1024;

    private CudaNearestNeighbours() {}

    /**
     * Candidates a row keeps before the refinement: m and a margin of max(8, m/2), but no more than
     * the other points (nor fewer than m, whose slots past the others stay empty).
     */
    static int listLength(int n, int m) {
        long margin = Math.max(8, m / 2);
        return (int) Math.max(m, Math.min(n - 1L, m + margin));
    }

    /** Shared-memory bytes a row's list takes: its approximate distance, index and refined distance. */
    static long listBytes(int listLength) {
        return 16L * listLength;
    }

    static Neighbours find(CudaContext ctx, long budget, float[] x, int n, int d, int m) {
        Neighbours.check(x, n, d, m);
        int list = listLength(n, m);
        long perWarp = listBytes(list);
        int maxShared = Math.max(DEFAULT_SHARED, ctx.maxSharedOptin());
        if (perWarp > maxShared) {
            throw new IllegalArgumentException(m + " neighbours need " + perWarp + " bytes of GPU shared memory per "
                    + "point, more than this GPU's " + maxShared + ": ask for fewer neighbours or use the CPU");
        }
        int warps = (int) Math.max(1, Math.min(WARPS, DEFAULT_SHARED / perWarp));
        int shared = (int) (warps * perWarp);
        ctx.bind();
        float[] centred = centred(x, n, d);
        long fixed = 8L * n * d + 4L * n + 8L * n * m;
        long tileRows = Math.max(1, Math.min(n, Math.min(TILE_BYTES, budget - fixed) / (4L * n)));
        try (DeviceMemory points = new DeviceMemory(4L * n * d, "kNN points");
             DeviceMemory centredPoints = new DeviceMemory(4L * n * d, "kNN centred points");
             DeviceMemory norms = new DeviceMemory(4L * n, "kNN norms");
             DeviceMemory products = new DeviceMemory(4L * tileRows * n, "kNN products");
             DeviceMemory outIndex = new DeviceMemory(4L * n * m, "kNN indices");
             DeviceMemory outDist = new DeviceMemory(4L * n * m, "kNN distances")) {
            try (FloatPointer hx = new FloatPointer(x); FloatPointer hc = new FloatPointer(centred)) {
                ctx.copyToDevice(points.address(), hx, 4L * n * d, "kNN points");
                ctx.copyToDevice(centredPoints.address(), hc, 4L * n * d, "kNN centred points");
            }
            ctx.launch("rowSquaredNorms", ctx.kmeans().function("rowSquaredNorms"), ctx.gridFor(n, 256), 256, 0,
                    ctx.computeStream(), centredPoints.address(), (long) n, CudaContext.arg(d), norms.address());
            if (shared > DEFAULT_SHARED) {
                CUfunc_st f = ctx.spectral().function(SpectralKernels.knnSelect.name());
                Cuda.checkDriver("cuFuncSetAttribute(knnSelect, max dynamic shared memory)", cudart.cuFuncSetAttribute(
                        f, cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, shared));
            }
            for (long r0 = 0; r0 < n; r0 += tileRows) {
                int rows = (int) Math.min(tileRows, n - r0);
                ctx.sgemmFp32(true, false, n, rows, d, centredPoints.address(), d, centredPoints.at(4L * r0 * d), d,
                        products.address(), n);
                SpectralKernels.knnSelect.launch(ctx, ctx.gridFor(rows, warps), 32 * warps, shared, products.address(),
                        rows, n, (int) r0, norms.address(), points.address(), d, list, m, outIndex.address(),
                        outDist.address());
            }
            int[] index = new int[n * m];
            float[] sqDistance = new float[n * m];
            try (IntPointer hi = new IntPointer((long) n * m); FloatPointer hd = new FloatPointer((long) n * m)) {
                ctx.copyToHost(hi, outIndex.address(), 4L * n * m, "kNN indices");
                ctx.copyToHost(hd, outDist.address(), 4L * n * m, "kNN distances");
                hi.get(index);
                hd.get(sqDistance);
            }
            return new Neighbours(n, m, index, sqDistance);
        }
    }

    /** x less its column means (taken in double): the same distances, smaller norms. */
    static float[] centred(float[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) mean[c] += x[i * d + c];
        for (int c = 0; c < d; c++) mean[c] /= n;
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) out[i * d + c] = (float) (x[i * d + c] - mean[c]);
        return out;
    }
}
