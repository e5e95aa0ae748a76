package org.rnnclust.backend.cuda;

import java.util.Optional;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.rnnclust.Precision;
import org.rnnclust.backend.CheckedCentroidIndex;
import org.rnnclust.backend.LloydRun;
import org.rnnclust.backend.RecheckedAssignment;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.SeedingRun;

/**
 * The GPU's answer to "which centroid is nearest": per tile of rows, cuBLAS computes X·Cᵀ into a
 * bounded product buffer and one kernel adds ‖c‖², takes each row's argmin (lowest index among
 * equals) and the distance; per chunk, one kernel adds the points into their clusters' sums and
 * another sums the distances. Only labels, distances and the k × d sums come back to the host.
 *
 * <p>Where the points fit the device-memory budget they are uploaded once; otherwise they stream
 * from pinned host buffers in chunks, the next chunk's copy (copy stream) overlapping the current
 * chunk's kernels (compute stream). Either way, copying one chunk's labels back overlaps with the
 * next chunk's kernels. See {@link ChunkPlan} for the sizes.
 *
 * <p>With a TF32 or 3xTF32 context on a GPU of compute capability 8.0 or newer, the fused assignment
 * runs on tensor cores (kernels/kmeans_tc.cu) followed by nearestCentroidsListed, the FP32 kernel
 * over the points the tensor cores could not decide: labels and distances are then the FP32
 * kernel's, bit for bit, and {@link #lastRechecks()} says how many points were recomputed.
 */
final class CudaCentroidIndex extends CheckedCentroidIndex implements RecheckedAssignment {
    private static final int BLOCK = 256;
    /**
     * The assignment runs as one fused kernel (nearestCentroids, or its tensor-core twin with a TF32
     * or 3xTF32 context: the X·Cᵀ tiles never leave the chip); {@code -Drnnclust.cuda.kmeans=gemm}
     * runs the first design instead, cuBLAS GEMM (in the context's math mode) into an L2-sized
     * product tile and then argminRows, to compare the two on the same GPU.
     */
    static final boolean FUSED_ASSIGN = !"gemm".equals(System.getProperty("rnnclust.cuda.kmeans"));
    /**
     * k-means++ and the Lloyd loop keep their state on the device ({@link CudaSeedingRun},
     * {@link CudaLloydRun}); {@code -Drnnclust.cuda.kmeansLoop=host} keeps it on the host instead, as
     * before they existed, to compare the two on the same GPU.
     */
    static final boolean DEVICE_LOOP = !"host".equals(System.getProperty("rnnclust.cuda.kmeansLoop"));
    /** nearestCentroids' block: NC_ROWS points, NC_THREADS threads (kernels/kmeans.cu). */
    private static final int FUSED_ROWS = 128;
    private static final int FUSED_THREADS = 256;
    /** nearestCentroidsTf32 and its kin (kernels/kmeans_tc.cu): TC_ROWS points, TC_THREADS threads. */
    private static final int TC_ROWS = 128;
    private static final int TC_THREADS = 128;
    /** blockSums launches at most this many blocks: its partial sums fit a fixed slot. */
    private static final int MAX_PARTIALS = 1024;

    private final CudaContext ctx;
    private final ChunkPlan plan;
    private final CUstream_st compute;
    private final CUstream_st copy;

    private DeviceMemory points;   // resident: n × d; streamed: two slots of chunkRows × d
    private DeviceMemory norms;    // ‖x‖² of the same rows
    private DeviceMemory outputs;  // chunkRows nearest (int) + chunkRows distances (float)
    private DeviceMemory partials; // MAX_PARTIALS doubles
    private final PinnedMemory[] pinnedOut = new PinnedMemory[2];
    private final PinnedMemory[] pinnedIn = new PinnedMemory[2];
    private final CUevent_st[] inReady = new CUevent_st[2];
    private final CUevent_st[] chunkDone = new CUevent_st[2];
    private final CUevent_st[] outReady = new CUevent_st[2];
    // The labels go down on a stream of their own while the compute stream sums the clusters, so
    // that the host copies them into the caller's array while the GPU is still busy (at 4M points
    // the labels' copy and the sums are each about a millisecond of a ten-millisecond iteration).
    private CUstream_st labelStream;
    private final CUevent_st[] assigned = new CUevent_st[2];
    private final CUevent_st[] labelsReady = new CUevent_st[2];

    // Grown on demand for the number of centres asked about.
    private DeviceMemory centres;   // k × d floats, then k norms
    private DeviceMemory products;  // tileRows × k
    private DeviceMemory accum;     // k × d double sums, then k counts
    private PinnedMemory small;     // centres up, sums and counts down
    private PinnedMemory pinnedTile; // sqDistances: one tile of distances down
    private PinnedMemory loadStaging; // load(): the new points up, kept across loads
    private boolean sharedSumsOptIn;
    // Tensor-core assignment: the chunk rows left to the FP32 kernel, and three counters (the list's
    // length, then the listed points and the recomputed pairs over one assign call), copied down into
    // recheckCounts after each call and read only when asked for.
    private final boolean tensorCores;
    private DeviceMemory recheckList;
    private DeviceMemory recheckCounters;
    private PinnedMemory recheckCounts;
    private long lastPoints = -1;

    CudaCentroidIndex(CudaContext ctx, float[] x, int n, int d, long budgetBytes) {
        super(x, n, d);
        this.ctx = ctx;
        this.plan = ChunkPlan.of(n, d, budgetBytes, ChunkPlan.DEFAULT_TILE_BYTES);
        this.compute = ctx.computeStream();
        this.copy = ctx.copyStream();
        this.tensorCores = FUSED_ASSIGN && ctx.tensorCoreKMeans();
        ctx.bind();
        try {
            if (tensorCores) ctx.kmeansTc();  // a failing load or compile shows here, not at the first assign
            allocate();
            if (plan.resident()) uploadResident();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    ChunkPlan plan() {
        return plan;
    }

    /**
     * Lloyd's iterations on the device ({@link CudaLloydRun}) where the points are resident and the
     * assignment is the fused kernel; empty otherwise, or when the device has no room for the run's
     * n labels and distances (the host loop then runs on this index as before).
     */
    @Override
    public Optional<LloydRun> lloydRun(float[] centres, int k) {
        if (!deviceLoop()) return Optional.empty();
        if (k < 1 || (long) k * d > centres.length) throw new IllegalArgumentException("centres hold " + centres.length
                + " floats, not k*d for k=" + k);
        ctx.bind();
        try {
            return Optional.of(new CudaLloydRun(this, ctx, centres, k));
        } catch (CudaOutOfMemoryException e) {
            return Optional.empty();
        }
    }

    /** k-means++ distances on the device ({@link CudaSeedingRun}), under the same conditions. */
    @Override
    public Optional<SeedingRun> seedingRun() {
        if (!deviceLoop()) return Optional.empty();
        ctx.bind();
        try {
            return Optional.of(new CudaSeedingRun(this, ctx));
        } catch (CudaOutOfMemoryException e) {
            return Optional.empty();
        }
    }

    private boolean deviceLoop() {
        return DEVICE_LOOP && FUSED_ASSIGN && plan.resident();
    }

    /** Where the resident points are (n × d floats); only when {@link ChunkPlan#resident()}. */
    long pointsAddress() {
        return points.address();
    }

    /** Where the resident points' squared norms are (n floats). */
    long normsAddress() {
        return norms.address();
    }

    private void allocate() {
        long rows = plan.resident() ? n : 2 * plan.chunkRows();
        points = new DeviceMemory(rows * d * 4, "points");
        norms = new DeviceMemory(rows * 4, "point norms");
        outputs = new DeviceMemory(plan.chunkRows() * ChunkPlan.OUTPUT_ROW_BYTES, "labels and distances");
        partials = new DeviceMemory(MAX_PARTIALS * 8L, "partial sums");
        if (tensorCores) {
            recheckList = new DeviceMemory(plan.chunkRows() * 4, "points to re-check in FP32");
            recheckCounters = new DeviceMemory(16, "re-check counters");
            recheckCounts = new PinnedMemory(16, "pinned re-check counters");
        }
        for (int s = 0; s < 2; s++) {
            pinnedOut[s] = new PinnedMemory(plan.chunkRows() * ChunkPlan.OUTPUT_ROW_BYTES + MAX_PARTIALS * 8L,
                    "pinned labels and distances");
            if (!plan.resident()) pinnedIn[s] = new PinnedMemory(plan.chunkRows() * d * 4, "pinned chunk of points");
            inReady[s] = ctx.createEvent(false);
            chunkDone[s] = ctx.createEvent(false);
            outReady[s] = ctx.createEvent(false);
            assigned[s] = ctx.createEvent(false);
            labelsReady[s] = ctx.createEvent(false);
        }
        CUstream_st stream = new CUstream_st();
        Cuda.check("cudaStreamCreateWithFlags(labels)", cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking));
        labelStream = stream;
    }

    /**
     * Resident points: waits until no kernel of ours reads the old points, then uploads the new ones
     * and their norms into the same buffers. Streamed points are read from {@link #x} at every call.
     */
    @Override
    protected void loadImpl() {
        if (!plan.resident()) return;
        ctx.bind();
        ctx.synchronize(compute, "before new points");
        // The staging buffer stays for the next batch: a pinned allocation costs about as much as
        // a small batch's whole step.
        if (loadStaging == null) loadStaging = new PinnedMemory(stagingRows() * d * 4, "pinned upload buffer");
        uploadResident(loadStaging);
    }

    /** Rows of the pinned buffer through which resident points go up: at most 16 MiB. */
    private long stagingRows() {
        return Math.max(1, Math.min(n, (16L << 20) / (4L * d)));
    }

    /** Copies all points up once, through a pinned staging buffer, and computes their norms. */
    private void uploadResident() {
        try (PinnedMemory staging = new PinnedMemory(stagingRows() * d * 4, "pinned upload buffer")) {
            uploadResident(staging);
        }
    }

    private void uploadResident(PinnedMemory staging) {
        long stagingRows = stagingRows();
        for (long from = 0; from < n; from += stagingRows) {
            long rows = Math.min(stagingRows, n - from);
            staging.floats().put(x, (int) (from * d), (int) (rows * d));
            Cuda.check("cudaMemcpyAsync(points to device)", cudart.cudaMemcpyAsync(
                    DeviceMemory.pointerAt(points.at(from * d * 4)), DeviceMemory.pointerAt(staging.address()),
                    rows * d * 4, cudart.cudaMemcpyHostToDevice, copy));
            ctx.synchronize(copy, "points upload");
        }
        launchNorms(points.address(), n, norms.address());
        ctx.synchronize(compute, "point norms");
    }

    @Override
    protected double assignImpl(float[] centroids, int k, int[] nearest, float[] sqDistance, double[] sums,
                                long[] counts) {
        ctx.bind();
        boolean summing = sums != null;
        long tileRows = plan.tileRows(k);
        prepareCentres(centroids, k, tileRows);
        long centreNorms = centres.at(4L * k * d);
        if (summing) {
            Cuda.check("cudaMemsetAsync(sums)", cudart.cudaMemsetAsync(DeviceMemory.pointerAt(accum.address()), 0,
                    8L * k * d + 8L * k, compute));
        }
        if (tensorCores) {
            Cuda.check("cudaMemsetAsync(re-check counters)", cudart.cudaMemsetAsync(
                    DeviceMemory.pointerAt(recheckCounters.address()), 0, 16, compute));
        }
        long outNearest = outputs.address();
        long outDist = outputs.at(4 * plan.chunkRows());
        long chunks = plan.chunks();
        double inertia = 0;
        if (!plan.resident()) upload(0);
        for (long c = 0; c < chunks; c++) {
            int slot = (int) (c & 1);
            long rows = plan.chunkLength(c);
            long[] at = beginChunk(c);
            long xAddr = at[0], nAddr = at[1];
            // The previous chunk's labels must have left the device buffer before it is overwritten.
            if (c >= 1) {
                Cuda.check("cudaStreamWaitEvent(labels down)",
                        cudart.cudaStreamWaitEvent(compute, labelsReady[(int) ((c - 1) & 1)], 0));
            }
            if (FUSED_ASSIGN) {
                launchAssign(xAddr, rows, centres.address(), k, centreNorms, nAddr, outNearest, outDist);
            } else {
                for (long r0 = 0; r0 < rows; r0 += tileRows) {
                    int tr = (int) Math.min(tileRows, rows - r0);
                    ctx.sgemm(true, false, k, tr, d, centres.address(), d, xAddr + r0 * d * 4, d, products.address(), k);
                    ctx.launch("argminRows", fn("argminRows"), Math.min(ctx.multiprocessors() * 16, (tr + 7) / 8), BLOCK, 0,
                            compute, products.address(), CudaContext.arg(tr), CudaContext.arg(k), centreNorms, nAddr + r0 * 4,
                            outNearest + r0 * 4, outDist + r0 * 4, 0L);
                }
            }
            long pinned = pinnedOut[slot].address();
            record(assigned[slot], compute, "assigned");
            Cuda.check("cudaStreamWaitEvent(assigned)", cudart.cudaStreamWaitEvent(labelStream, assigned[slot], 0));
            copyDown(pinned, outNearest, rows * 4, "labels", labelStream);
            record(labelsReady[slot], labelStream, "labels ready");
            if (summing) launchSums(xAddr, rows, outNearest, k, accum.address());
            int partialBlocks = Math.min(MAX_PARTIALS, ctx.gridFor(rows, BLOCK));
            ctx.launch("blockSums", fn("blockSums"), partialBlocks, BLOCK, BLOCK * 8, compute, outDist, rows, partials.address());
            if (sqDistance != null) copyDown(pinned + plan.chunkRows() * 4, outDist, rows * 4, "distances");
            copyDown(pinned + plan.chunkRows() * 8, partials.address(), partialBlocks * 8L, "partial sums");
            record(outReady[slot], compute, "outputs ready");
            endChunk(c);
            if (c >= 1) inertia += consume(c - 1, nearest, sqDistance);
            lastPartials[slot] = partialBlocks;
        }
        inertia += consume(chunks - 1, nearest, sqDistance);
        if (tensorCores) {
            // Read by lastRechecks() only, after the compute stream has passed this copy.
            copyDown(recheckCounts.address(), recheckCounters.at(4), 8, "re-check counters");
            lastPoints = n;
        }
        if (summing) {
            copyDown(small.address(), accum.address(), 8L * k * d + 8L * k, "sums");
            ctx.synchronize(compute, "cluster sums");
            small.doubles().get(sums, 0, k * d);
            small.longs().position((long) k * d).get(counts, 0, k);
        }
        return inertia;
    }

    private final int[] lastPartials = new int[2];

    /**
     * One chunk on tensor cores: nearestCentroids[3x]Tf32[Vec4] assigns the points it can decide (the
     * FP32 kernel's answers) and lists the others, which nearestCentroidsListed[Vec4] then assigns in
     * FP32. The list's length stays on the device: the second kernel gets the chunk's grid and its
     * blocks past the list return at once.
     */
    private void assignOnTensorCores(long xAddr, long nAddr, int rows, long centresAddr, int k, long centreNorms,
                                     long outNearest, long outDist) {
        if (rows > plan.chunkRows()) throw new IllegalArgumentException(rows + " rows: the re-check list holds a chunk");
        boolean vec = d % 4 == 0 && (xAddr | centresAddr) % 16 == 0;
        String tc = (ctx.precision() == Precision.TF32X3 ? "nearestCentroids3xTf32" : "nearestCentroidsTf32")
                + (vec ? "Vec4" : "");
        Cuda.check("cudaMemsetAsync(re-check list length)", cudart.cudaMemsetAsync(
                DeviceMemory.pointerAt(recheckCounters.address()), 0, 4, compute));
        ctx.launch(tc, ctx.kmeansTc().function(tc), (rows + TC_ROWS - 1) / TC_ROWS, TC_THREADS, 0, compute, xAddr,
                CudaContext.arg(rows), CudaContext.arg(d), centresAddr, CudaContext.arg(k), centreNorms, nAddr,
                outNearest, outDist, recheckList.address(), recheckCounters.address(), 0L);
        String listed = vec ? "nearestCentroidsListedVec4" : "nearestCentroidsListed";
        ctx.launch(listed, fn(listed), (rows + FUSED_ROWS - 1) / FUSED_ROWS, FUSED_THREADS, 0, compute, xAddr,
                CudaContext.arg(d), centresAddr, CudaContext.arg(k), centreNorms, nAddr, outNearest, outDist, 0L,
                recheckList.address(), recheckCounters.address());
    }

    @Override
    public Rechecks lastRechecks() {
        if (!tensorCores || lastPoints < 0) return null;
        ctx.bind();
        ctx.synchronize(compute, "re-check counters");
        org.bytedeco.javacpp.IntPointer c = recheckCounts.ints();
        return new Rechecks(lastPoints, Integer.toUnsignedLong(c.get(1)), Integer.toUnsignedLong(c.get(0)));
    }

    /** Copies chunk c's labels and distances from its pinned slot into the arrays; returns its distance sum. */
    private double consume(long c, int[] nearest, float[] sqDistance) {
        int slot = (int) (c & 1);
        int start = (int) plan.chunkStart(c);
        int rows = (int) plan.chunkLength(c);
        PinnedMemory p = pinnedOut[slot];
        Cuda.check("cudaEventSynchronize(labels)", cudart.cudaEventSynchronize(labelsReady[slot]));
        p.ints().get(nearest, start, rows);  // while the GPU may still be summing
        Cuda.check("cudaEventSynchronize(outputs)", cudart.cudaEventSynchronize(outReady[slot]));
        if (sqDistance != null) p.floats().position(plan.chunkRows()).get(sqDistance, start, rows);
        double[] part = new double[lastPartials[slot]];
        p.doubles().position(plan.chunkRows()).get(part, 0, part.length);
        double s = 0;
        for (double v : part) s += v;
        return s;
    }

    @Override
    protected void sqDistancesImpl(float[] c, int m, float[] out) {
        ctx.bind();
        long tileRows = plan.tileRows(m);
        prepareCentres(c, m, tileRows);
        long need = tileRows * m * 4;
        if (pinnedTile == null || pinnedTile.bytes() < need) {
            if (pinnedTile != null) pinnedTile.close();
            pinnedTile = null;
            pinnedTile = new PinnedMemory(need, "pinned distances");
        }
        long centreNorms = centres.at(4L * m * d);
        if (!plan.resident()) upload(0);
        for (long ch = 0; ch < plan.chunks(); ch++) {
            long rows = plan.chunkLength(ch);
            long[] at = beginChunk(ch);
            for (long r0 = 0; r0 < rows; r0 += tileRows) {
                int tr = (int) Math.min(tileRows, rows - r0);
                ctx.sgemm(true, false, m, tr, d, centres.address(), d, at[0] + r0 * d * 4, d, products.address(), m);
                long count = (long) tr * m;
                ctx.launch("distancesFromProducts", fn("distancesFromProducts"), ctx.gridFor(count, BLOCK), BLOCK, 0,
                        compute, products.address(), (long) tr, CudaContext.arg(m), at[1] + r0 * 4, centreNorms);
                copyDown(pinnedTile.address(), products.address(), count * 4, "distances");
                ctx.synchronize(compute, "distances");
                pinnedTile.floats().get(out, (int) ((plan.chunkStart(ch) + r0) * m), (int) count);
            }
            endChunk(ch);
        }
    }

    /**
     * Where chunk c's points and norms are on the device: in place when resident; else in its slot,
     * once the copy has landed (the compute stream waits for it), with the norms computed there.
     */
    private long[] beginChunk(long c) {
        if (plan.resident()) {
            long start = plan.chunkStart(c);
            return new long[] {points.at(start * d * 4), norms.at(start * 4)};
        }
        int slot = (int) (c & 1);
        Cuda.check("cudaStreamWaitEvent(chunk in)", cudart.cudaStreamWaitEvent(compute, inReady[slot], 0));
        long xAddr = points.at(slot * plan.chunkRows() * d * 4);
        long nAddr = norms.at(slot * plan.chunkRows() * 4);
        launchNorms(xAddr, plan.chunkLength(c), nAddr);
        return new long[] {xAddr, nAddr};
    }

    /** Marks chunk c's slot free once its kernels are done, and starts copying the next chunk in. */
    private void endChunk(long c) {
        if (plan.resident()) return;
        record(chunkDone[(int) (c & 1)], compute, "chunk done");
        if (c + 1 < plan.chunks()) upload(c + 1);
    }

    /** Fills chunk c's pinned slot from the Java array and copies it to its device slot on the copy stream. */
    private void upload(long c) {
        int slot = (int) (c & 1);
        // The slot's previous copy must have left the pinned buffer before it is overwritten...
        Cuda.check("cudaEventSynchronize(chunk in)", cudart.cudaEventSynchronize(inReady[slot]));
        long start = plan.chunkStart(c);
        long rows = plan.chunkLength(c);
        pinnedIn[slot].floats().put(x, (int) (start * d), (int) (rows * d));
        // ...and the kernels of the chunk that last used the device slot must be done.
        Cuda.check("cudaStreamWaitEvent(chunk done)", cudart.cudaStreamWaitEvent(copy, chunkDone[slot], 0));
        Cuda.check("cudaMemcpyAsync(chunk to device)", cudart.cudaMemcpyAsync(
                DeviceMemory.pointerAt(points.at(slot * plan.chunkRows() * d * 4)),
                DeviceMemory.pointerAt(pinnedIn[slot].address()), rows * d * 4, cudart.cudaMemcpyHostToDevice, copy));
        record(inReady[slot], copy, "chunk in");
    }

    /** Uploads k centres and their norms; sizes the per-k buffers. */
    private void prepareCentres(float[] c, int k, long tileRows) {
        centres = grow(centres, 4L * k * d + 4L * k, "centres");
        products = grow(products, 4L * k * tileRows, "distance tile");
        accum = grow(accum, 8L * k * d + 8L * k, "cluster sums");
        small = growPinned(small, Math.max(4L * k * d, 8L * k * d + 8L * k), "pinned centres");
        small.floats().put(c, 0, k * d);
        copyUp(centres.address(), small.address(), 4L * k * d, "centres");
        launchNorms(centres.address(), k, centres.at(4L * k * d));
    }

    /**
     * The fused assignment of {@code rows} points at {@code xAddr} (norms at {@code rowNorms}) to the
     * k centres at {@code centresAddr} (norms after them at {@code centreNorms}): nearest and dist
     * are written for each of the rows.
     */
    void launchAssign(long xAddr, long rows, long centresAddr, int k, long centreNorms, long rowNorms, long nearest,
                      long dist) {
        if (tensorCores) {
            assignOnTensorCores(xAddr, rowNorms, (int) rows, centresAddr, k, centreNorms, nearest, dist);
            return;
        }
        // float4 loads where every row starts on a 16-byte boundary (cudaMalloc gives 256).
        String kernel = d % 4 == 0 && (xAddr | centresAddr) % 16 == 0 ? "nearestCentroidsVec4" : "nearestCentroids";
        ctx.launch(kernel, fn(kernel), (int) ((rows + FUSED_ROWS - 1) / FUSED_ROWS), FUSED_THREADS, 0, compute, xAddr,
                CudaContext.arg((int) rows), CudaContext.arg(d), centresAddr, CudaContext.arg(k), centreNorms, rowNorms,
                nearest, dist, 0L);
    }

    /** Adds the rows' points into their clusters' double sums and counts at {@code accumAddr} (k × d, then k). */
    void launchSums(long xAddr, long rows, long labels, int k, long accumAddr) {
        long sharedBytes = 4L * k * d + 4L * k;
        long work = rows * d;
        if (sharedBytes <= 48 * 1024 || sharedBytes <= ctx.maxSharedOptin()) {
            CUfunc_st f = fn("clusterSumsShared");
            if (sharedBytes > 48 * 1024 && !sharedSumsOptIn) {
                Cuda.checkDriver("cuFuncSetAttribute(clusterSumsShared, max dynamic shared memory)", cudart.cuFuncSetAttribute(
                        f, cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, ctx.maxSharedOptin()));
                sharedSumsOptIn = true;
            }
            // Few blocks, each summing many points: the flush of k × d partial sums is then rare.
            int blocks = (int) Math.max(1, Math.min(ctx.gridFor(work, 1024), (long) ctx.multiprocessors() * 2));
            ctx.launch("clusterSumsShared", f, blocks, 1024, (int) sharedBytes, compute, xAddr, rows, CudaContext.arg(d), labels,
                    CudaContext.arg(k), accumAddr, accumAddr + 8L * k * d);
        } else {
            ctx.launch("clusterSums", fn("clusterSums"), ctx.gridFor(rows * 32, BLOCK), BLOCK, 0, compute, xAddr, rows,
                    CudaContext.arg(d), labels, CudaContext.arg(k), accumAddr, accumAddr + 8L * k * d);
        }
    }

    void launchNorms(long rowsAddr, long rows, long out) {
        ctx.launch("rowSquaredNorms", fn("rowSquaredNorms"), ctx.gridFor(rows, BLOCK), BLOCK, 0, compute, rowsAddr, rows,
                CudaContext.arg(d), out);
    }

    CUfunc_st fn(String name) {
        return ctx.kmeans().function(name);
    }

    private void copyDown(long host, long device, long bytes, String what) {
        copyDown(host, device, bytes, what, compute);
    }

    private void copyDown(long host, long device, long bytes, String what, CUstream_st stream) {
        Cuda.check("cudaMemcpyAsync(" + what + " to host)", cudart.cudaMemcpyAsync(DeviceMemory.pointerAt(host),
                DeviceMemory.pointerAt(device), bytes, cudart.cudaMemcpyDeviceToHost, stream));
    }

    private void copyUp(long device, long host, long bytes, String what) {
        Cuda.check("cudaMemcpyAsync(" + what + " to device)", cudart.cudaMemcpyAsync(DeviceMemory.pointerAt(device),
                DeviceMemory.pointerAt(host), bytes, cudart.cudaMemcpyHostToDevice, compute));
    }

    private static void record(CUevent_st e, CUstream_st s, String what) {
        Cuda.check("cudaEventRecord(" + what + ")", cudart.cudaEventRecord(e, s));
    }

    /** A buffer of at least {@code bytes}: the old one if large enough, else a new one (the old freed first). */
    private static DeviceMemory grow(DeviceMemory m, long bytes, String what) {
        if (m != null && m.bytes() >= bytes) return m;
        if (m != null) m.close();
        return new DeviceMemory(bytes, what);
    }

    private static PinnedMemory growPinned(PinnedMemory m, long bytes, String what) {
        if (m != null && m.bytes() >= bytes) return m;
        if (m != null) m.close();
        return new PinnedMemory(bytes, what);
    }

    @Override
    public void close() {
        ctx.bind();
        // Nothing of ours may be in flight when its memory goes.
        cudart.cudaStreamSynchronize(compute);
        cudart.cudaStreamSynchronize(copy);
        if (labelStream != null) {
            cudart.cudaStreamSynchronize(labelStream);
            cudart.cudaStreamDestroy(labelStream);
            labelStream = null;
        }
        try {
            Resources.closeAll(points, norms, outputs, partials, centres, products, accum, small, pinnedTile,
                    loadStaging, pinnedOut[0], pinnedOut[1], pinnedIn[0], pinnedIn[1], recheckList, recheckCounters,
                    recheckCounts, this::destroyEvents);
        } finally {
            points = norms = outputs = partials = centres = products = accum = recheckList = recheckCounters = null;
            small = pinnedTile = loadStaging = recheckCounts = null;
        }
    }

    private void destroyEvents() {
        for (CUevent_st[] events : new CUevent_st[][] {inReady, chunkDone, outReady, assigned, labelsReady}) {
            for (int s = 0; s < 2; s++) {
                if (events[s] != null) ctx.destroyEvent(events[s]);
                events[s] = null;
            }
        }
    }
}
