package org.rnnclust.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The optional native CPU library built from {@code native/cpu} (see native/README.md). Loaded once
 * from the jar; when it is missing or cannot load, {@link #available()} is false, {@link #status()}
 * says why, and callers use their pure-Java twin of each function.
 */
public final class NativeCpu {
    private static final String RESOURCE = "linux-x86_64/librnnclust_cpu.so";
    private static final String STATUS;
    private static final boolean AVAILABLE;

    static {
        String status;
        boolean ok = false;
        if (Boolean.getBoolean("rnnclust.native.disable")) {
            status = "disabled by -Drnnclust.native.disable=true";
        } else {
            try {
                status = load();
                ok = status == null;
                if (ok) status = pinFromProperty();
            } catch (IOException | LinkageError | SecurityException e) {
                status = "cannot load: " + e.getMessage();
            }
        }
        STATUS = status;
        AVAILABLE = ok;
    }

    private NativeCpu() {}

    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * One line: "loaded (avx512f)", the level running now (a pin may have changed it since
     * loading), or why the pure-Java path is used.
     */
    public static String status() {
        return AVAILABLE && System.getProperty(ISA_PROPERTY) == null ? "loaded (" + isa() + ")" : STATUS;
    }

    /** @return null when loaded, else the reason it is not */
    private static String load() throws IOException {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "not built for " + os + "/" + arch;
        }
        try (InputStream in = NativeCpu.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "not in this build (gcc was not available when it was built)";
            Path tmp = Files.createTempFile("librnnclust_cpu", ".so");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
            } finally {
                // The loaded mapping stays valid after the file is unlinked.
                Files.deleteIfExists(tmp);
            }
        }
        return null;
    }

    /**
     * Applies {@code -Drnnclust.cpu.isa=avx512f|avx2|scalar} (a diagnostic setting: every level
     * computes the same bits, only the speed differs) and says which level runs.
     */
    private static String pinFromProperty() {
        String wanted = System.getProperty(ISA_PROPERTY);
        if (wanted == null) return "loaded (" + isa() + ")";
        if (!useIsa(wanted)) {
            return "loaded (" + isa() + "; -D" + ISA_PROPERTY + "=" + wanted + " ignored: expected avx512f, avx2 or "
                    + "scalar, supported by this CPU)";
        }
        return "loaded (" + isa() + ", from -D" + ISA_PROPERTY + ")";
    }

    /** The system property that pins the instruction-set level of the native functions. */
    public static final String ISA_PROPERTY = "rnnclust.cpu.isa";

    /**
     * For the deterministic mode: one instruction-set level on every machine, x86-64-v3 (AVX2),
     * unless {@code -Drnnclust.cpu.isa} pinned one (tests pin the others to show they agree).
     * Without AVX2 the baseline runs, which computes the same bits. The pin holds for the whole
     * process; it changes no result of the other mode either, only its speed.
     *
     * @return the level now in use, or null when the library is not loaded
     */
    static synchronized String pinForDeterministicMode() {
        if (!AVAILABLE) return null;
        if (System.getProperty(ISA_PROPERTY) == null && !useIsa("avx2")) useIsa("scalar");
        return isa();
    }

    /** Instruction-set level the library runs: "avx512f" (x86-64-v4), "avx2" (x86-64-v3) or "scalar". */
    static native String isa();

    /** The level {@link #stepGemm}'s tile is made for. */
    static final String STEP_PANELS_ISA = "avx512f";

    /** {@link #isa()}, or null when the library is not loaded. */
    static String isaInUse() {
        return AVAILABLE ? isa() : null;
    }

    /**
     * Pins one level ("avx512f", "avx2", "scalar") for every native function: the k-means tile, the
     * cells and the fixed-order GEMM. False, and nothing changes, if this CPU lacks it.
     */
    static native boolean useIsa(String name);

    /**
     * The fixed-order SGEMM of native/cpu/gemm.c on raw addresses (row-major, as {@link OpenBlas#sgemm});
     * {@link FixedOrderGemm} is its Java twin and its checked entry point.
     *
     * @return false when the buffer for a transposed B could not be allocated (C untouched)
     */
    static native boolean fixedOrderGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a,
                                         int lda, long b, int ldb, float beta, long c, int ldc);

    /**
     * C = alpha·A·op(B) + beta·C (row-major) for a tall A and a small op(B), k × n (native/cpu/gemm.c):
     * op(B) packed once into panels as {@link #stepPack} lays them out, then {@link #stepGemm}'s
     * kernel over A's rows in place; the fixed-order GEMM's bits, or (fused) multiply-adds fused.
     *
     * @return false when its buffers could not be allocated (C untouched)
     */
    static native boolean tallGemm(boolean fused, boolean transB, int m, int n, int k, float alpha, long a, int lda,
                                   long b, int ldb, float beta, long c, int ldc);

    /**
     * C = alpha·Aᵀ·B + beta·C with A (k × m, lda) and B (k × n, ldb) row-major and k long (a weight
     * gradient), neither operand packed (native/cpu/gemm.c): the fixed-order GEMM's bits, or (fused)
     * the same order with multiply-adds fused.
     *
     * @return false when its buffers could not be allocated (C untouched)
     */
    static native boolean gradientGemm(boolean fused, int m, int n, int k, float alpha, long a, int lda, long b,
                                       int ldb, float beta, long c, int ldc);

    /**
     * Rows i in [from, to) of src [d0, d1, inner] into dst [d1, d0, inner] (native/cpu/transpose.c):
     * CpuOps.transpose01 as a copy in C.
     */
    static native void transpose01(int d0, int d1, int inner, int from, int to, long src, long dst);

    /**
     * dst[j] += Σ_r src[r·ld + j] for j < cols over rows r < rows (native/cpu/sums.c): the same bits
     * as the Java loop of CpuOps.addColumnSumsImpl (float sums over blocks of 64 rows, in double
     * across blocks and into dst).
     *
     * @return false when its buffers could not be allocated (dst untouched)
     */
    static native boolean columnSums(int rows, int cols, long src, int ld, long dst);

    /**
     * Lays op(B) (k × n; B is n × k, ldb apart, when transposed) out for {@link #stepGemm} at
     * {@code packed}: ceil(n / 32) panels of k rows of 32 floats, zeros past column n.
     */
    static native void stepPack(boolean transB, int k, int n, long b, int ldb, long packed);

    /**
     * C = alpha·A·op(B) + beta·C (row-major, A m × k, lda apart) with op(B) as {@link #stepPack}
     * left it: the fixed-order GEMM's bits, or (fused) the same order with multiply-adds fused.
     *
     * @return false when the buffer for A's last rows could not be allocated (C untouched)
     */
    static native boolean stepGemm(boolean fused, int m, int n, int k, float alpha, long a, int lda, long packed,
                                   float beta, long c, int ldc);

    /**
     * The fused k-means step of native/cpu/kmeans.c for one tile: rows [from, from + rows) of the
     * n × (d+1) augmented points against k augmented centres [−2c, ‖c‖²] (k × (d+1)). Writes the
     * lowest index of each row's smallest ‖c‖² − 2x·c into nearest[from + r] and that value into
     * minimum[from + r]; with sums non-null, overwrites sums[sumsAt ..+ k·d) and
     * counts[countsAt ..+ k) with the tile's per-cluster float sums and counts. Same bits as the
     * fixed-order GEMM, the scalar argmin and CpuCentroidIndex's tile sums.
     *
     * @return false when memory ran out (the transposed tile, or the JVM would not pin an array); the
     *         outputs are then not to be used
     */
    static native boolean kmeansAssignTile(long points, int d, int rows, long centres, int k, int[] nearest,
                                           float[] minimum, int offset, float[] sums, int sumsAt, long[] counts,
                                           int countsAt);

    /** Bounds-checked entry point (both pointers from their element 0, positions ignored). */
    static void kmeansAssignTile(org.bytedeco.javacpp.FloatPointer points, int from, int rows, int d,
                                 org.bytedeco.javacpp.FloatPointer centres, int k, int[] nearest, float[] minimum,
                                 float[] sums, int sumsAt, long[] counts, int countsAt) {
        long stride = d + 1L;
        boolean bad = d < 1 || k < 1 || rows < 0 || from < 0 || (from + (long) rows) * stride > points.capacity()
                || k * stride > centres.capacity() || from + rows > nearest.length || from + rows > minimum.length
                || (sums == null) != (counts == null);
        if (!bad && sums != null) {
            bad = sumsAt < 0 || countsAt < 0 || sumsAt + (long) k * d > sums.length || countsAt + (long) k > counts.length;
        }
        if (bad) {
            throw new IndexOutOfBoundsException("kmeansAssignTile: from=" + from + ", rows=" + rows + ", d=" + d
                    + ", k=" + k + ", sumsAt=" + sumsAt + ", countsAt=" + countsAt);
        }
        if (rows == 0) return;
        if (!kmeansAssignTile(points.address() + from * stride * Float.BYTES, d, rows, centres.address(), k, nearest,
                minimum, from, sums, sumsAt, counts, countsAt)) {
            throw new OutOfMemoryError("k-means: no memory for a tile of " + rows + " x " + d + " points");
        }
    }

    /**
     * totals[j] += tileSums[t·span + j] for t in [0, tiles), in that order, for j in [0, span): the
     * Java loop of CpuCentroidIndex's fold, vectorised (each element's sum is the same chain).
     */
    private static native boolean foldTiles(double[] totals, float[] tileSums, int tiles, int span);

    /** Bounds-checked entry point of {@link #foldTiles}. */
    static void foldTileSums(double[] totals, float[] tileSums, int tiles, int span) {
        if (tiles < 0 || span < 0 || span > totals.length || (long) tiles * span > tileSums.length) {
            throw new IndexOutOfBoundsException("foldTileSums: tiles=" + tiles + ", span=" + span);
        }
        if (tiles > 0 && span > 0 && !foldTiles(totals, tileSums, tiles, span)) {
            throw new OutOfMemoryError("k-means: no memory to pin the cluster sums");
        }
    }

    // ---- recurrent cell steps (native/cpu/cells.c): raw addresses of checked ranges, 0 for no dOut ----
    // Arguments as in RecurrentCellOps, for rows [0, rows) from each address; CpuCells is the twin.

    static native void lstmForward(int rows, int hid, long xProj, long hProj, long biasIh, long biasHh, long mask,
                                   long hPrev, long cPrev, long h, long c, long out, int ldOut, long ws);

    static native void lstmBackward(int rows, int hid, long ws, long mask, long cPrev, long c, long dOut, int ldDOut,
                                    long dh, long dc, long dGates);

    static native void gruForward(int rows, int hid, long xProj, long hProj, long biasIh, long biasHh, long mask,
                                  long hPrev, long h, long out, int ldOut, long ws);

    static native void gruBackward(int rows, int hid, long ws, long mask, long hPrev, long dOut, int ldDOut, long dh,
                                   long dGatesIh, long dGatesHh);

    static native void rnnTanhForward(int rows, int hid, long xProj, long hProj, long biasIh, long biasHh, long mask,
                                      long hPrev, long h, long out, int ldOut);

    static native void rnnTanhBackward(int rows, int hid, long mask, long h, long dOut, int ldDOut, long dh,
                                       long dGates);
}
