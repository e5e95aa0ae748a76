package org.rnnclust.backend.cuda;

import org.rnnclust.Precision;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.KrylovSpace;
import org.rnnclust.backend.MemorySize;
import org.rnnclust.backend.Neighbours;
import org.rnnclust.backend.Peaks;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.ScaledSparseMatrix;
import org.rnnclust.backend.TensorOps;

/**
 * One GPU: k-means through {@link CudaCentroidIndex}, the recurrent layers and the training step
 * through {@link CudaTensorOps}, spectral clustering's neighbour graph and eigensolver through
 * {@link CudaNearestNeighbours} and {@link CudaKrylovSpace}.
 */
public final class CudaBackend implements Backend {
    /** Left free for cuBLAS workspaces and the CUDA context when no GPU memory limit is given. */
    private static final long HEADROOM = 512L << 20;

    private final CudaContext ctx;
    private final long maxDeviceMemory;
    private CudaTensorOps tensorOps;

    /**
     * @param maxDeviceMemory bytes of device memory a k-means index may use; 0 = what is free, less headroom
     */
    public CudaBackend(int device, Precision precision, long maxDeviceMemory) {
        if (maxDeviceMemory < 0) throw new IllegalArgumentException("maxDeviceMemory < 0");
        this.ctx = CudaContext.open(device, precision);
        this.maxDeviceMemory = maxDeviceMemory;
    }

    /** {@code tf32}: {@link Precision#TF32}, else FP32. */
    public CudaBackend(int device, boolean tf32, long maxDeviceMemory) {
        this(device, tf32 ? Precision.TF32 : Precision.FP32, maxDeviceMemory);
    }

    public CudaContext context() {
        return ctx;
    }

    @Override
    public String name() {
        return "cuda:" + ctx.device();
    }

    @Override
    public String description() {
        return ctx.describe() + (maxDeviceMemory > 0 ? ", device memory capped at " + MemorySize.format(maxDeviceMemory) : "");
    }

    @Override
    public CentroidIndex centroidIndex(float[] x, int n, int d) {
        return new CudaCentroidIndex(ctx, x, n, d, budget());
    }

    /** The device-memory budget of a new index: the GPU memory limit, or what is free now less headroom. */
    long budget() {
        long free = ctx.memoryInfo()[0];
        long available = Math.max(free - HEADROOM, free / 2);
        return maxDeviceMemory > 0 ? Math.min(maxDeviceMemory, available) : available;
    }

    @Override
    public Neighbours nearestNeighbours(float[] x, int n, int d, int m) {
        return CudaNearestNeighbours.find(ctx, budget(), x, n, d, m);
    }

    @Override
    public KrylovSpace krylovSpace(ScaledSparseMatrix a, int maxBasis) {
        return new CudaKrylovSpace(ctx, a, maxBasis);
    }

    @Override
    public TensorOps tensorOps() {
        if (tensorOps == null) tensorOps = new CudaTensorOps(ctx);
        return tensorOps;
    }

    @Override
    public Peaks measurePeaks() {
        return CudaPeaks.measure(ctx);
    }

    @Override
    public double timeMs(Runnable work) {
        return ctx.timeMs(work);
    }

    @Override
    public void close() {
        CudaTensorOps ops = tensorOps;
        tensorOps = null;
        Resources.closeAll(ops, ctx);
    }
}
