package org.rnnclust.backend.cuda;

import java.util.function.Function;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.cuda.global.cudart;

/**
 * A block of memory that CUDA allocated, freed by {@link #close()}: {@link DeviceMemory} on the GPU
 * or {@link PinnedMemory} on the host. Addresses are plain numbers on the Java side: kernels, cuBLAS
 * and copies take {@link #address()} plus a byte offset, the way C code does pointer arithmetic.
 */
abstract class CudaMemory implements AutoCloseable {
    /** The allocation call of each kind of memory and the call that frees it. */
    enum Kind {
        DEVICE("cudaMalloc", "cudaFree"),
        PINNED("cudaMallocHost", "cudaFreeHost");

        private final String allocateCall;
        private final String freeCall;

        Kind(String allocateCall, String freeCall) {
            this.allocateCall = allocateCall;
            this.freeCall = freeCall;
        }

        private int allocate(Pointer p, long bytes) {
            return this == DEVICE ? cudart.cudaMalloc(p, bytes) : cudart.cudaMallocHost(p, bytes);
        }

        private int free(Pointer p) {
            return this == DEVICE ? cudart.cudaFree(p) : cudart.cudaFreeHost(p);
        }
    }

    private final Kind kind;
    private final Pointer pointer;
    private final long bytes;
    private final String what;
    private boolean closed;

    /**
     * @param what names the block in error messages ("points", "pinned staging", ...)
     */
    CudaMemory(Kind kind, long bytes, String what) {
        if (bytes <= 0) throw new IllegalArgumentException(what + ": cannot allocate " + bytes + " bytes");
        this.kind = kind;
        this.bytes = bytes;
        this.what = what;
        this.pointer = new Pointer();
        Cuda.check(kind.allocateCall + "(" + what + ", " + Cuda.bytes(bytes) + ")", kind.allocate(pointer, bytes));
    }

    long address() {
        if (closed) throw new IllegalStateException(what + " is freed");
        return pointer.address();
    }

    /** The address {@code offsetBytes} into this block. */
    long at(long offsetBytes) {
        if (offsetBytes < 0 || offsetBytes > bytes) {
            throw new IndexOutOfBoundsException(what + ": offset " + offsetBytes + " outside " + bytes + " bytes");
        }
        return address() + offsetBytes;
    }

    long bytes() {
        return bytes;
    }

    /**
     * The whole block as elements of {@code elementBytes}, owning nothing; the view's
     * {@code position()} moves it, the block's address stays.
     */
    <P extends Pointer> P view(Function<Pointer, P> type, int elementBytes) {
        long n = bytes / elementBytes;
        P p = type.apply(pointerAt(address()));
        p.capacity(n);
        p.limit(n);
        return p;
    }

    /** A float pointer holding a raw address, owning nothing (JavaCPP has no public constructor for this). */
    static FloatPointer floatsAt(long address) {
        return new RawFloats(address);
    }

    /** A double pointer holding a raw address, owning nothing (cuBLAS's double-precision calls take these). */
    static DoublePointer doublesAt(long address) {
        return new RawDoubles(address);
    }

    /** A pointer holding a raw address, owning nothing: for runtime calls that take a {@code void*}. */
    static Pointer pointerAt(long address) {
        return new RawPointer(address);
    }

    // Named classes with constructors, not anonymous ones: inside an anonymous subclass of Pointer,
    // "address" names Pointer's own field, so "this.address = address" would assign it to itself
    // and hand CUDA a null pointer (it did, on the first GPU run: cudaErrorInvalidValue everywhere).
    private static final class RawPointer extends Pointer {
        RawPointer(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    private static final class RawFloats extends FloatPointer {
        RawFloats(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    private static final class RawDoubles extends DoublePointer {
        RawDoubles(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Freeing cannot usefully fail at close; a sticky error from an earlier kernel shows up there.
        Cuda.check(kind.freeCall + "(" + what + ")", kind.free(pointer));
    }
}
