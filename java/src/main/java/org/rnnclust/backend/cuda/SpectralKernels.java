package org.rnnclust.backend.cuda;

/**
 * The kernels of kernels/spectral.cu and their parameter lists, one letter per parameter as in
 * {@link RnnKernels} ({@code i} int, {@code l} long long, {@code f} float, {@code p} a pointer);
 * launches encode their arguments through {@link KernelArgs} against these, and
 * {@code SpectralKernelsTest} checks them against the source.
 */
enum SpectralKernels {
    knnSelect("piiippiiipp"),
    scaledSparseProduct("iipppppp"),
    ritzResiduals("ippppp");

    /** The module (kernels/NAME.cu) these kernels are in. */
    static final String MODULE = "spectral";

    final String signature;

    SpectralKernels(String signature) {
        this.signature = signature;
    }

    /** Launches this kernel on the context's compute stream with {@code args} checked against its signature. */
    void launch(CudaContext ctx, int grid, int block, int sharedBytes, Object... args) {
        ctx.launch(name(), ctx.spectral().function(name()), grid, block, sharedBytes, ctx.computeStream(),
                KernelArgs.encode(name(), signature, args));
    }
}
