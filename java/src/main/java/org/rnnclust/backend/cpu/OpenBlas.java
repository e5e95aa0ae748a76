package org.rnnclust.backend.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The OpenBLAS calls the CPU backend makes, through the JavaCPP presets (which bundle the native
 * library, so nothing needs installing). Matrices are row-major and live off-heap in
 * {@link FloatPointer}s: passing a Java array would make JNI copy it on every call.
 */
public final class OpenBlas {
    /** Version of the bundled library, as the presets' headers state it ("0.3.31"). */
    public static final String VERSION = openblas_nolapack.OPENBLAS_VERSION.trim().replaceFirst("^OpenBLAS\\s*", "");

    private OpenBlas() {}

    /** Loads the native library; throws {@link UnsatisfiedLinkError} when it cannot. */
    public static void load() {
        org.bytedeco.javacpp.Loader.load(openblas_nolapack.class);
    }

    /**
     * C = alpha·op(A)·op(B) + beta·C, row-major; op transposes when the flag is set.
     * The pointers' positions are the offsets of the first elements.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             FloatPointer a, int lda, FloatPointer b, int ldb, float beta,
                             FloatPointer c, int ldc) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** Threads OpenBLAS itself uses for one call. */
    public static int threads() {
        return openblas_nolapack.blas_get_num_threads();
    }

    public static void setThreads(int n) {
        openblas_nolapack.blas_set_num_threads(n);
    }

    /**
     * The kernel OpenBLAS was built to default to; at run time DYNAMIC_ARCH picks one for the CPU
     * unless {@code OPENBLAS_CORETYPE} names it.
     */
    public static String buildTarget() {
        return openblas_nolapack.OPENBLAS_CHAR_CORENAME;
    }

    /**
     * One line on the library for {@code rnnclust info}: its version, how the CPU backend runs it
     * and which kernel it uses, or why it did not load.
     */
    public static String describe() {
        try {
            load();
        } catch (UnsatisfiedLinkError e) {
            return "unavailable: " + e.getMessage();
        }
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        return VERSION + " (bundled by the JavaCPP presets), single-threaded per worker thread, kernel "
                + (coretype != null ? coretype + " (OPENBLAS_CORETYPE)"
                        : "chosen at run time for this CPU (build default " + buildTarget() + ")");
    }
}
