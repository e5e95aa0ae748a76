package org.rnnclust.backend.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.rnnclust.Precision;
import org.rnnclust.backend.Resources;

/**
 * Owns everything of one GPU that rnnclust uses: the device's primary context, two streams (one for
 * kernels and cuBLAS, one for host↔device copies, so copies overlap with compute), the cuBLAS
 * handle, the loaded kernel modules and the kernel-argument block. Closing releases all of it (the
 * device memory is owned by the objects that allocated it). Not thread-safe: one thread drives a
 * context at a time; {@link #bind()} makes it current on the calling thread.
 */
public final class CudaContext implements AutoCloseable {
    /** The kernel argument block: one 8-byte slot per parameter, enough for every kernel here. */
    private static final int MAX_KERNEL_ARGS = 12;

    private final int device;
    private final String deviceName;
    private final int major;
    private final int minor;
    private final int multiprocessors;
    private final int maxSharedOptin;
    private final Precision precision;
    private final CUstream_st compute = new CUstream_st();
    private final CUstream_st copy = new CUstream_st();
    private final cublasContext blas = new cublasContext();
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);
    private final LongPointer[] argSlots = new LongPointer[MAX_KERNEL_ARGS];
    private final PointerPointer<LongPointer> args = new PointerPointer<>(MAX_KERNEL_ARGS);
    private KernelModule kmeans;
    private KernelModule kmeansTc;  // kernels/kmeans_tc.cu, loaded at its first use
    private KernelModule spectral;
    private boolean streamsCreated;
    private boolean blasCreated;

    /**
     * Opens device {@code device}. Fails with a one-line {@link CudaException} (or an
     * {@link org.rnnclust.InputException} for missing libraries) and releases what it had taken.
     */
    public static CudaContext open(int device, Precision precision) {
        CudaProbe.Result probe = CudaProbe.probe();
        if (probe.unavailableReason() != null) throw new org.rnnclust.InputException("CUDA is not available: "
                + probe.unavailableReason());
        if (device < 0 || device >= probe.devices().size()) {
            throw new org.rnnclust.InputException("cuda:" + device + " does not exist: " + probe.devices().size()
                    + " GPU(s) found (cuda:0" + (probe.devices().size() > 1 ? " to cuda:" + (probe.devices().size() - 1) : "")
                    + ")");
        }
        try {
            Loader.load(cublas.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new org.rnnclust.InputException("cuBLAS (" + CudaLibraries.soname("libcublas") + ") did not load: "
                    + e.getMessage() + "; put " + CudaLibraries.toolkit() + " on LD_LIBRARY_PATH or set CUDA_HOME");
        }
        CudaContext ctx = new CudaContext(device, probe.devices().get(device), precision == null ? Precision.FP32 : precision);
        try {
            ctx.init();
            return ctx;
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    private CudaContext(int device, CudaProbe.Device info, Precision precision) {
        this.device = device;
        this.deviceName = info.name();
        this.major = info.major();
        this.minor = info.minor();
        this.precision = precision;
        Cuda.check("cudaSetDevice(" + device + ")", cudart.cudaSetDevice(device));
        this.multiprocessors = attribute(cudart.cudaDevAttrMultiProcessorCount);
        this.maxSharedOptin = attribute(cudart.cudaDevAttrMaxSharedMemoryPerBlockOptin);
        for (int i = 0; i < MAX_KERNEL_ARGS; i++) {
            argSlots[i] = new LongPointer(1);
            args.put(i, argSlots[i]);
        }
    }

    private void init() {
        Cuda.check("cudaFree(0) (creates the context)", cudart.cudaFree(null));
        Cuda.checkDriver("cuInit", cudart.cuInit(0));
        Cuda.check("cudaStreamCreateWithFlags(compute)", cudart.cudaStreamCreateWithFlags(compute, cudart.cudaStreamNonBlocking));
        Cuda.check("cudaStreamCreateWithFlags(copy)", cudart.cudaStreamCreateWithFlags(copy, cudart.cudaStreamNonBlocking));
        streamsCreated = true;
        Cuda.checkBlas("cublasCreate", cublas.cublasCreate_v2(blas));
        blasCreated = true;
        Cuda.checkBlas("cublasSetStream", cublas.cublasSetStream_v2(blas, compute));
        boolean tf32 = precision.cublasTf32();
        Cuda.checkBlas("cublasSetMathMode(" + (tf32 ? "TF32" : "default") + ")",
                cublas.cublasSetMathMode(blas, tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH));
        kmeans = KernelModule.load("kmeans", major, minor);
    }

    private int attribute(int attr) {
        int[] v = new int[1];
        Cuda.check("cudaDeviceGetAttribute(" + attr + ")", cudart.cudaDeviceGetAttribute(v, attr, device));
        return v[0];
    }

    /** Makes this context's device current on the calling thread (a cheap call when it already is). */
    public void bind() {
        Cuda.check("cudaSetDevice(" + device + ")", cudart.cudaSetDevice(device));
    }

    public int device() { return device; }

    public String deviceName() { return deviceName; }

    /** Whether cuBLAS runs in TF32 mode. */
    public boolean tf32() { return precision.cublasTf32(); }

    public Precision precision() { return precision; }

    /**
     * Whether k-means assigns points on tensor cores (kernels/kmeans_tc.cu): asked for by the
     * precision, and the GPU has TF32 mma (compute capability 8.0 or newer).
     */
    boolean tensorCoreKMeans() { return precision.tensorCoreKMeans() && major >= 8; }

    int major() { return major; }

    int minor() { return minor; }

    int multiprocessors() { return multiprocessors; }

    int maxSharedOptin() { return maxSharedOptin; }

    CUstream_st computeStream() { return compute; }

    CUstream_st copyStream() { return copy; }

    KernelModule kmeans() { return kmeans; }

    /** kernels/kmeans_tc.cu, loaded (or compiled) the first time it is asked for. */
    KernelModule kmeansTc() {
        if (kmeansTc == null) kmeansTc = KernelModule.load("kmeans_tc", major, minor);
        return kmeansTc;
    }

    /**
     * kernels/spectral.cu, loaded on first use: only spectral clustering needs it, so a run without
     * it never compiles it with NVRTC (where the jar has no fatbin for this GPU).
     */
    KernelModule spectral() {
        if (spectral == null) spectral = KernelModule.load(SpectralKernels.MODULE, major, minor);
        return spectral;
    }

    /** The cuBLAS handle (on the compute stream, in this context's math mode). */
    cublasContext blas() { return blas; }

    /**
     * A further non-blocking stream and a cuBLAS handle on it in this context's math mode, for work
     * that runs beside the compute stream's (a lane of {@link CudaTensorOps}); {@link #closeLane}
     * gives them back. The caller orders the two streams with events.
     */
    Lane openLane() {
        bind();
        CUstream_st stream = new CUstream_st();
        Cuda.check("cudaStreamCreateWithFlags(lane)", cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking));
        cublasContext handle = new cublasContext();
        try {
            Cuda.checkBlas("cublasCreate(lane)", cublas.cublasCreate_v2(handle));
        } catch (RuntimeException e) {
            cudart.cudaStreamDestroy(stream);
            throw e;
        }
        Lane lane = new Lane(stream, handle);
        try {
            Cuda.checkBlas("cublasSetStream(lane)", cublas.cublasSetStream_v2(handle, stream));
            boolean tf32 = precision.cublasTf32();
            Cuda.checkBlas("cublasSetMathMode(lane, " + (tf32 ? "TF32" : "default") + ")",
                    cublas.cublasSetMathMode(handle, tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH));
            return lane;
        } catch (RuntimeException e) {
            closeLane(lane);
            throw e;
        }
    }

    /** A stream of {@link #openLane} and its cuBLAS handle. */
    record Lane(CUstream_st stream, cublasContext blas) {}

    /** Destroys a lane's cuBLAS handle and stream (after the stream's work). */
    void closeLane(Lane lane) {
        bind();
        cudart.cudaStreamSynchronize(lane.stream());
        int s = cublas.cublasDestroy_v2(lane.blas());
        cudart.cudaStreamDestroy(lane.stream());
        if (s != 0) throw new CudaException("cublasDestroy(lane): status " + s, s);
    }

    /** {free, total} device memory in bytes. */
    public long[] memoryInfo() {
        bind();
        long[] info = Cuda.memInfo();
        if (info == null) throw new CudaException("cudaMemGetInfo failed", -1);
        return info;
    }

    /**
     * C = A·B in cuBLAS's column-major terms (m×n result, inner size k), on the compute stream;
     * addresses are device addresses.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
        Cuda.checkBlas("cublasSgemm(" + m + "x" + n + "x" + k + ")", cublas.cublasSgemm_v2(blas,
                transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                m, n, k, one, DeviceMemory.floatsAt(a), lda, DeviceMemory.floatsAt(b), ldb, zero,
                DeviceMemory.floatsAt(c), ldc));
    }

    /**
     * {@link #sgemm} in FP32 even in a TF32 context: for products whose rounding decides a
     * comparison (the neighbour search ranks distances by them), not only a value's last bits.
     */
    void sgemmFp32(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
        if (!tf32()) {
            sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
            return;
        }
        Cuda.checkBlas("cublasSetMathMode(default)", cublas.cublasSetMathMode(blas, cublas.CUBLAS_DEFAULT_MATH));
        try {
            sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        } finally {
            Cuda.checkBlas("cublasSetMathMode(TF32)", cublas.cublasSetMathMode(blas, cublas.CUBLAS_TF32_TENSOR_OP_MATH));
        }
    }

    /**
     * Copies {@code bytes} between two addresses (pinned host or device; {@code kind} a
     * cudaMemcpyKind) on the compute stream, after its work, without waiting.
     */
    void copyAsync(long to, long from, long bytes, int kind, String what) {
        Cuda.check("cudaMemcpyAsync(" + what + ")", cudart.cudaMemcpyAsync(DeviceMemory.pointerAt(to),
                DeviceMemory.pointerAt(from), bytes, kind, compute));
    }

    /** Copies {@code bytes} from host memory to the device on the compute stream and waits for the copy. */
    void copyToDevice(long device, org.bytedeco.javacpp.Pointer host, long bytes, String what) {
        Cuda.check("cudaMemcpyAsync(" + what + " to device)", cudart.cudaMemcpyAsync(DeviceMemory.pointerAt(device), host,
                bytes, cudart.cudaMemcpyHostToDevice, compute));
        synchronize(compute, what + " to device");
    }

    /** Copies {@code bytes} from the device to host memory on the compute stream (after its work) and waits for them. */
    void copyToHost(org.bytedeco.javacpp.Pointer host, long device, long bytes, String what) {
        Cuda.check("cudaMemcpyAsync(" + what + " to host)", cudart.cudaMemcpyAsync(host, DeviceMemory.pointerAt(device),
                bytes, cudart.cudaMemcpyDeviceToHost, compute));
        synchronize(compute, what + " to host");
    }

    /** Grid size for a grid-stride kernel over {@code work} items with {@code block} threads per block. */
    int gridFor(long work, int block) {
        long blocks = (work + block - 1) / block;
        return (int) Math.max(1, Math.min(blocks, (long) multiprocessors * 16));
    }

    /**
     * Launches {@code kernel} with the given arguments, each already encoded as the 8-byte slot the
     * kernel reads its parameter from (see {@link #arg}), on {@code stream}.
     */
    void launch(String label, CUfunc_st kernel, int grid, int block, int sharedBytes, CUstream_st stream, long... values) {
        if (values.length > MAX_KERNEL_ARGS) throw new IllegalArgumentException("too many kernel arguments");
        for (int i = 0; i < values.length; i++) argSlots[i].put(0, values[i]);
        Cuda.checkDriver("cuLaunchKernel(" + label + ")",
                cudart.cuLaunchKernel(kernel, grid, 1, 1, block, 1, 1, sharedBytes, stream, args, (PointerPointer<?>) null));
        if (DEBUG_SYNC) Cuda.check("cudaStreamSynchronize after " + label, cudart.cudaStreamSynchronize(stream));
    }

    /** Set -Drnnclust.cuda.sync=true to synchronise after every launch: errors then name the kernel that failed. */
    private static final boolean DEBUG_SYNC = Boolean.getBoolean("rnnclust.cuda.sync");

    /** An int parameter in its slot (the kernel reads the low 4 bytes, little-endian). */
    static long arg(int v) {
        return v & 0xffffffffL;
    }

    static long argFloat(float v) {
        return Float.floatToRawIntBits(v) & 0xffffffffL;
    }

    void synchronize(CUstream_st stream, String what) {
        Cuda.check("cudaStreamSynchronize(" + what + ")", cudart.cudaStreamSynchronize(stream));
    }

    /** A new event (timing or ordering); the caller destroys it with {@link #destroyEvent}. */
    CUevent_st createEvent(boolean timing) {
        CUevent_st e = new CUevent_st();
        Cuda.check("cudaEventCreateWithFlags", cudart.cudaEventCreateWithFlags(e,
                timing ? cudart.cudaEventDefault : cudart.cudaEventDisableTiming));
        return e;
    }

    void destroyEvent(CUevent_st e) {
        if (e != null && !e.isNull()) Cuda.check("cudaEventDestroy", cudart.cudaEventDestroy(e));
    }

    /**
     * Milliseconds the device spent on {@code work}, from events recorded on the compute stream
     * before and after it (work that synchronises, as every CentroidIndex call does, is timed whole).
     */
    public double timeMs(Runnable work) {
        bind();
        CUevent_st start = createEvent(true);
        CUevent_st end = createEvent(true);
        try {
            Cuda.check("cudaEventRecord(start)", cudart.cudaEventRecord(start, compute));
            work.run();
            Cuda.check("cudaEventRecord(end)", cudart.cudaEventRecord(end, compute));
            Cuda.check("cudaEventSynchronize(end)", cudart.cudaEventSynchronize(end));
            float[] ms = new float[1];
            Cuda.check("cudaEventElapsedTime", cudart.cudaEventElapsedTime(ms, start, end));
            return ms[0];
        } finally {
            destroyEvent(start);
            destroyEvent(end);
        }
    }

    public String describe() {
        return "cuda:" + device + " " + deviceName + " (compute capability " + major + "." + minor + ", "
                + multiprocessors + " SMs), cuBLAS " + (precision.cublasTf32() ? "TF32" : "FP32")
                + (precision.tensorCoreKMeans() ? ", k-means distances " + (major >= 8
                        ? "on tensor cores (" + (precision == Precision.TF32X3 ? "3xTF32" : "TF32") + ", FP32 re-check)"
                        : "in FP32 (no TF32 tensor cores before compute capability 8.0)") : "")
                + ", kernels from " + (kmeans == null ? "?" : kmeans.origin());
    }

    @Override
    public void close() {
        cudart.cudaSetDevice(device);
        KernelModule module = kmeans;
        KernelModule tc = kmeansTc;
        KernelModule spectralModule = spectral;
        kmeans = null;
        kmeansTc = null;
        spectral = null;
        Resources.closeAll(tc, module, spectralModule, this::destroyBlas, this::destroyStreams, one, zero,
                () -> Resources.closeAll(argSlots), args);
    }

    private void destroyBlas() {
        if (!blasCreated) return;
        blasCreated = false;
        int s = cublas.cublasDestroy_v2(blas);
        if (s != 0) throw new CudaException("cublasDestroy: status " + s, s);
    }

    private void destroyStreams() {
        if (!streamsCreated) return;
        streamsCreated = false;
        cudart.cudaStreamDestroy(compute);
        cudart.cudaStreamDestroy(copy);
    }
}
