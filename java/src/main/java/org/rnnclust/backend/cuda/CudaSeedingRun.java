package org.rnnclust.backend.cuda;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.SeedingRun;

/**
 * k-means++ distances on the device (kernels/kmeans.cu: seedDistances, sumTiles, sampleRows): each
 * point's distance to its nearest centre stays there, with the sums of its tiles of
 * {@link #TILE_ROWS} points, which make the inverse-CDF search two-level. A round uploads the
 * trials' uniforms and brings down their rows and potentials (a few hundred bytes), where the host
 * version brings down n × trials distances. The host version ({@code cluster.HostSeedingRun}) is
 * the reference: distances here are Σ (x − c)² rather than the GEMM's ‖x‖² − 2x·c + ‖c‖², and the
 * running sums are added in another order, so a draw within rounding of a boundary between two
 * points may pick the other one.
 */
final class CudaSeedingRun implements SeedingRun {
    /** SEED_ROWS of kernels/kmeans.cu: points per tile, threads per block of seedDistances. */
    static final int TILE_ROWS = 256;
    /** SEED_MAX_TRIALS: candidates one seedDistances call evaluates. */
    static final int MAX_TRIALS = 24;
    private static final int BLOCK = 256;
    private static final int TRIAL = 0;
    private static final int ACCEPT = 1;
    private static final int FIRST = 2;

    private final CudaCentroidIndex index;
    private final CudaContext ctx;
    private final long n;
    private final int d;
    private final long tiles;
    private DeviceMemory closest;   // n floats
    private DeviceMemory tileSums;  // tiles doubles
    private DeviceMemory partial;   // tiles × MAX_TRIALS doubles
    private DeviceMemory small;     // MAX_TRIALS uniforms (double), potentials (double), rows (int)
    private PinnedMemory host;      // the same layout as small
    private int trials;

    CudaSeedingRun(CudaCentroidIndex index, CudaContext ctx) {
        this.index = index;
        this.ctx = ctx;
        this.n = index.size();
        this.d = index.dim();
        this.tiles = (n + TILE_ROWS - 1) / TILE_ROWS;
        try {
            closest = new DeviceMemory(4L * n, "k-means++ distances");
            tileSums = new DeviceMemory(8L * tiles, "k-means++ tile sums");
            partial = new DeviceMemory(8L * tiles * MAX_TRIALS, "k-means++ trial sums");
            small = new DeviceMemory(20L * MAX_TRIALS, "k-means++ draws");
            host = new PinnedMemory(20L * MAX_TRIALS, "pinned k-means++ draws");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private long uniforms(CudaMemory m) {
        return m.address();
    }

    private long potentials(CudaMemory m) {
        return m.at(8L * MAX_TRIALS);
    }

    private long rows(CudaMemory m) {
        return m.at(16L * MAX_TRIALS);
    }

    @Override
    public double start(int row) {
        ctx.bind();
        host.ints().put(4L * MAX_TRIALS, row);
        ctx.copyAsync(rows(small), rows(host), 4, cudart.cudaMemcpyHostToDevice, "first centre");
        distances(rows(small), 1, FIRST);
        ctx.launch("sumTiles", index.fn("sumTiles"), 1, BLOCK, 0, stream(), tileSums.address(), tiles,
                CudaContext.arg(1), potentials(small));
        ctx.copyAsync(potentials(host), potentials(small), 8, cudart.cudaMemcpyDeviceToHost, "potential");
        ctx.synchronize(stream(), "first centre");
        return host.doubles().get(MAX_TRIALS);
    }

    @Override
    public void drawAndEvaluate(double[] u, int[] rows, double[] potentials) {
        begin(u.length);
        host.doubles().put(u, 0, trials);
        ctx.copyAsync(uniforms(small), uniforms(host), 8L * trials, cudart.cudaMemcpyHostToDevice, "uniforms");
        ctx.launch("sampleRows", index.fn("sampleRows"), trials, BLOCK, 0, stream(), uniforms(small),
                tileSums.address(), tiles, closest.address(), n, rows(small));
        evaluateRows(rows, potentials, true);
    }

    @Override
    public void evaluate(int[] rows, double[] potentials) {
        begin(rows.length);
        host.ints().position(4L * MAX_TRIALS).put(rows, 0, trials);
        ctx.copyAsync(rows(small), rows(host), 4L * trials, cudart.cudaMemcpyHostToDevice, "candidates");
        evaluateRows(rows, potentials, false);
    }

    private void begin(int m) {
        if (m < 1 || m > MAX_TRIALS) throw new IllegalArgumentException(m + " trials: between 1 and " + MAX_TRIALS);
        trials = m;
        ctx.bind();
    }

    /** The trial potentials of the rows on the device, down with the rows when they were drawn there. */
    private void evaluateRows(int[] rows, double[] potentials, boolean rowsDown) {
        distances(rows(small), trials, TRIAL);
        ctx.launch("sumTiles", index.fn("sumTiles"), trials, BLOCK, 0, stream(), partial.address(), tiles,
                CudaContext.arg(trials), potentials(small));
        // Potentials and rows lie side by side: one copy brings both.
        ctx.copyAsync(potentials(host), potentials(small), 8L * MAX_TRIALS + (rowsDown ? 4L * trials : 0),
                cudart.cudaMemcpyDeviceToHost, "trial potentials");
        ctx.synchronize(stream(), "k-means++ round");
        host.doubles().position(MAX_TRIALS).get(potentials, 0, trials);
        if (rowsDown) host.ints().position(4L * MAX_TRIALS).get(rows, 0, trials);
    }

    @Override
    public void accept(int t) {
        if (t < 0 || t >= trials) throw new IllegalArgumentException("no trial " + t + " in the last round");
        ctx.bind();
        distances(rows(small) + 4L * t, 1, ACCEPT);
    }

    private void distances(long candRows, int m, int mode) {
        ctx.launch("seedDistances", index.fn("seedDistances"), (int) tiles, TILE_ROWS, 0, stream(),
                index.pointsAddress(), n, CudaContext.arg(d), candRows, CudaContext.arg(m), CudaContext.arg(mode),
                closest.address(), partial.address(), tileSums.address());
    }

    private CUstream_st stream() {
        return ctx.computeStream();
    }


    @Override
    public void close() {
        ctx.bind();
        cudart.cudaStreamSynchronize(stream());
        try {
            Resources.closeAll(closest, tileSums, partial, small, host);
        } finally {
            closest = tileSums = partial = small = null;
            host = null;
        }
    }
}
