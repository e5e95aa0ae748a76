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
                if (ok) status = "loaded (" + isa() + ")";
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

    /** One line: "loaded (avx512f)", or why the pure-Java path is used. */
    public static String status() {
        return STATUS;
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

    /** Instruction set the library dispatched to on this CPU. */
    static native String isa();

    /** Pins one version ("avx512f", "avx2", "scalar"), for the parity tests; false if the CPU lacks it. */
    static native boolean useIsa(String name);

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
