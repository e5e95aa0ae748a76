package org.rnnclust.backend.cuda;

import org.bytedeco.cuda.global.cudart;
import org.rnnclust.backend.LloydRun;
import org.rnnclust.backend.Resources;

/**
 * Lloyd's iterations with their state on the device (kernels/kmeans.cu, "device-resident k-means"):
 * labels, the previous labels, distances, the clusters' double sums and counts, and the centres
 * never leave it between iterations. An assignment sends down the inertia's block sums, the number
 * of changed labels and the k counts (which tell the host whether a cluster is empty); the centre
 * update sends down the shift's block sums. Labels come down once, in {@link #finish}. The host
 * version ({@code cluster.HostLloydRun}) is the reference: the same rules, with the sums added in
 * another order (double atomics), so results agree to rounding and labels where no two centres tie.
 */
final class CudaLloydRun implements LloydRun {
    private static final int BLOCK = 256;
    /** At most this many blocks write partial sums (inertia, shift) and relocation candidates. */
    private static final int MAX_PARTIALS = 1024;

    private final CudaCentroidIndex index;
    private final CudaContext ctx;
    private final int n;
    private final int d;
    private final int k;
    private DeviceMemory centres;   // k × d floats, then k norms
    private DeviceMemory labels;    // n ints
    private DeviceMemory previous;  // n ints: the last assignment's labels, before any relocation
    private DeviceMemory dist;      // n floats
    private DeviceMemory accum;     // k × d double sums, then k counts
    private DeviceMemory scalars;   // MAX_PARTIALS doubles, then changed and moves counters
    private DeviceMemory farthest;  // MAX_PARTIALS floats and MAX_PARTIALS longs: relocation candidates
    private PinnedMemory host;      // what comes down: partial sums, counters, counts, centres
    private long[] counts;

    /** Allocates the run's device state and uploads the centres; frees what it took if that fails. */
    CudaLloydRun(CudaCentroidIndex index, CudaContext ctx, float[] initial, int k) {
        this.index = index;
        this.ctx = ctx;
        this.n = index.size();
        this.d = index.dim();
        this.k = k;
        try {
            centres = new DeviceMemory(4L * k * d + 4L * k, "centres");
            labels = new DeviceMemory(4L * n, "labels");
            previous = new DeviceMemory(4L * n, "previous labels");
            dist = new DeviceMemory(4L * n, "distances");
            accum = new DeviceMemory(8L * k * d + 8L * k, "cluster sums");
            scalars = new DeviceMemory(8L * MAX_PARTIALS + 16, "partial sums");
            farthest = new DeviceMemory(12L * MAX_PARTIALS, "relocation candidates");
            host = new PinnedMemory(Math.max(8L * MAX_PARTIALS + 16 + 8L * k, 4L * k * d), "pinned k-means state");
            // -1: no label equals it, so the first assignment counts every label as changed.
            Cuda.check("cudaMemsetAsync(previous labels)", cudart.cudaMemsetAsync(
                    DeviceMemory.pointerAt(previous.address()), 0xff, 4L * n, ctx.computeStream()));
            host.floats().put(initial, 0, k * d);
            ctx.copyAsync(centres.address(), host.address(), 4L * k * d, cudart.cudaMemcpyHostToDevice, "centres");
            index.launchNorms(centres.address(), k, centreNorms());
            counts = new long[k];
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private long centreNorms() {
        return centres.at(4L * k * d);
    }

    private long changedCounter() {
        return scalars.at(8L * MAX_PARTIALS);
    }

    private long movesCounter() {
        return scalars.at(8L * MAX_PARTIALS + 8);
    }

    @Override
    public Assignment assign() {
        ctx.bind();
        var stream = ctx.computeStream();
        // Chunk by chunk as the index assigns, which bounds its working buffers (the tensor cores'
        // re-check list); the labels and distances land in the run's n-long arrays.
        ChunkPlan plan = index.plan();
        for (long c = 0; c < plan.chunks(); c++) {
            long start = plan.chunkStart(c);
            index.launchAssign(index.pointsAddress() + start * d * 4, plan.chunkLength(c), centres.address(), k,
                    centreNorms(), index.normsAddress() + start * 4, labels.at(start * 4), dist.at(start * 4));
        }
        Cuda.check("cudaMemsetAsync(sums)", cudart.cudaMemsetAsync(DeviceMemory.pointerAt(accum.address()), 0,
                8L * k * d + 8L * k, stream));
        Cuda.check("cudaMemsetAsync(counters)", cudart.cudaMemsetAsync(DeviceMemory.pointerAt(changedCounter()), 0, 16,
                stream));
        ctx.launch("labelChanges", index.fn("labelChanges"), ctx.gridFor(n, BLOCK), BLOCK, 0, stream, labels.address(),
                previous.address(), (long) n, changedCounter());
        index.launchSums(index.pointsAddress(), n, labels.address(), k, accum.address());
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(n, BLOCK));
        ctx.launch("blockSums", index.fn("blockSums"), blocks, BLOCK, BLOCK * 8, stream, dist.address(), (long) n,
                scalars.address());
        // Down in one copy: the partial sums and the changed counter, then the counts.
        ctx.copyAsync(host.address(), scalars.address(), 8L * MAX_PARTIALS + 8, cudart.cudaMemcpyDeviceToHost,
                "inertia");
        ctx.copyAsync(host.at(8L * MAX_PARTIALS + 16), accum.at(8L * k * d), 8L * k, cudart.cudaMemcpyDeviceToHost,
                "counts");
        ctx.synchronize(stream, "assignment");
        double inertia = sumPartials(blocks);
        long changed = host.longs().get(MAX_PARTIALS);
        host.longs().position(MAX_PARTIALS + 2).get(counts, 0, k);
        return new Assignment(inertia, changed);
    }

    @Override
    public int relocateEmpty() {
        int empty = 0;
        for (long c : counts) if (c == 0) empty++;
        if (empty == 0) return 0;
        ctx.bind();
        var stream = ctx.computeStream();
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(n, BLOCK));
        long best = farthest.address();
        long bestIndex = farthest.at(4L * MAX_PARTIALS);
        long countsAddr = accum.at(8L * k * d);
        // One empty cluster after another, in order: each takes the first eligible point left.
        for (int c = 0; c < k; c++) {
            if (counts[c] != 0) continue;
            ctx.launch("farthestEligible", index.fn("farthestEligible"), blocks, BLOCK, 0, stream, dist.address(),
                    labels.address(), (long) n, countsAddr, best, bestIndex);
            ctx.launch("relocateFarthest", index.fn("relocateFarthest"), 1, BLOCK, 0, stream, index.pointsAddress(),
                    CudaContext.arg(d), best, bestIndex, CudaContext.arg(blocks), CudaContext.arg(c), labels.address(),
                    accum.address(), countsAddr, movesCounter());
        }
        ctx.copyAsync(host.address(), movesCounter(), 8, cudart.cudaMemcpyDeviceToHost, "relocations");
        ctx.synchronize(stream, "relocation");
        return (int) host.longs().get(0);
    }

    @Override
    public double updateCentres() {
        ctx.bind();
        var stream = ctx.computeStream();
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor((long) k * d, BLOCK));
        ctx.launch("updateMeans", index.fn("updateMeans"), blocks, BLOCK, 0, stream, accum.address(),
                accum.at(8L * k * d), CudaContext.arg(k), CudaContext.arg(d), centres.address(), scalars.address());
        index.launchNorms(centres.address(), k, centreNorms());
        ctx.copyAsync(host.address(), scalars.address(), 8L * blocks, cudart.cudaMemcpyDeviceToHost, "shift");
        ctx.synchronize(stream, "centre update");
        return sumPartials(blocks);
    }

    /** The blocks' partial sums, added in block order (the same order every time). */
    private double sumPartials(int blocks) {
        double[] part = new double[blocks];
        host.doubles().get(part, 0, blocks);
        double s = 0;
        for (double v : part) s += v;
        return s;
    }

    @Override
    public float[] centres() {
        ctx.bind();
        ctx.copyAsync(host.address(), centres.address(), 4L * k * d, cudart.cudaMemcpyDeviceToHost, "centres");
        ctx.synchronize(ctx.computeStream(), "centres");
        float[] out = new float[k * d];
        host.floats().get(out, 0, k * d);
        return out;
    }

    @Override
    public double finish(int[] labelsOut, float[] sqDistance) {
        return index.assign(centres(), k, labelsOut, sqDistance);
    }


    @Override
    public void close() {
        ctx.bind();
        cudart.cudaStreamSynchronize(ctx.computeStream());
        try {
            Resources.closeAll(centres, labels, previous, dist, accum, scalars, farthest, host);
        } finally {
            centres = labels = previous = dist = accum = scalars = farthest = null;
            host = null;
        }
    }
}
