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

    /**
     * Pins one level ("avx512f", "avx2", "scalar") for every native function: the argmin, the
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
     * For each row r of the rows×k row-major floats at {@code address}: the lowest index j with the
     * smallest value, into index[offset + r], and that value into value[offset + r].
     */
    static native void argminRows(long address, int rows, int k, int[] index, float[] value, int offset);

    /** Bounds-checked entry point. */
    static void argminRows(org.bytedeco.javacpp.FloatPointer products, int rows, int k, int[] index, float[] value,
                           int offset) {
        if (rows < 0 || k < 1 || (long) rows * k > products.capacity() - products.position()
                || offset < 0 || offset + rows > index.length || offset + rows > value.length) {
            throw new IndexOutOfBoundsException("argminRows: rows=" + rows + ", k=" + k + ", offset=" + offset);
        }
        argminRows(products.address() + products.position() * Float.BYTES, rows, k, index, value, offset);
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
