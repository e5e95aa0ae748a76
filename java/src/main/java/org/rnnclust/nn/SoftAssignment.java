package org.rnnclust.nn;

import java.util.List;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * DEC's clustering layer: k trainable centroids μ [k, D] and the Student-t soft assignment
 * q_ij ∝ (1 + ‖z_i − μ_j‖²/α)^(−(α+1)/2) of embeddings to them, with the KL(P‖Q) loss against a
 * target P that the caller holds fixed between target updates (Xie, Girshick, Farhadi 2016).
 * The assignment's argmax is the nearest centroid, so the centroids serve k-means-style
 * prediction unchanged.
 */
public final class SoftAssignment implements Module {
    private final TensorOps ops;
    private final int k;
    private final int dim;
    private final float alpha;
    private final Parameter centroids;
    private final GrowableBuffer q;

    /** Starts from the given centroids [k, dim] (row-major), e.g. k-means on the embeddings. */
    public SoftAssignment(TensorOps ops, int k, int dim, float alpha, float[] initialCentroids) {
        if (k < 1 || dim < 1) throw new IllegalArgumentException("k and dim must be >= 1, got " + k + ", " + dim);
        if (!(alpha > 0)) throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
        this.ops = ops;
        this.k = k;
        this.dim = dim;
        this.alpha = alpha;
        this.centroids = new Parameter(ops, "centroids", k, dim);
        centroids.set(initialCentroids);
        this.q = new GrowableBuffer(ops);
    }

    public int k() {
        return k;
    }

    public float alpha() {
        return alpha;
    }

    public Parameter centroids() {
        return centroids;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(centroids);
    }

    /** q [n, k] of z [n, D]; the buffer belongs to the layer and is overwritten by the next call. */
    public DeviceBuffer assign(int n, DeviceBuffer z, long zOff) {
        DeviceBuffer out = q.ensure((long) n * k);
        ops.studentTAssign(n, k, dim, alpha, z, zOff, centroids.value(), out, 0);
        return out;
    }

    /**
     * KL(P‖Q) of the last {@link #assign} (same n, z) against the target p [n, k]; adds
     * scale·∂KL/∂z into dz and scale·∂KL/∂μ into the centroids' gradient. Returns the unscaled KL.
     */
    public double lossAndBackward(int n, DeviceBuffer z, long zOff, DeviceBuffer p, float scale, DeviceBuffer dz) {
        DeviceBuffer qb = q.ensure((long) n * k);
        double kl = ops.klDivergence(n, k, p, 0, qb, 0);
        ops.studentTKlBackward(n, k, dim, alpha, z, zOff, centroids.value(), qb, 0, p, 0, scale, dz, 0,
                centroids.grad());
        return kl;
    }

    @Override
    public void close() {
        centroids.close();
        q.close();
    }
}
