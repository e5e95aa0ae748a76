package org.rnnclust.backend.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.cuda.global.cudart;

/**
 * A block of device memory (cudaMalloc), freed by {@link #close()}. Addresses are plain numbers on
 * the Java side: kernels and cuBLAS take {@link #address()} plus a byte offset, the way C code does
 * pointer arithmetic.
 */
final class DeviceMemory implements AutoCloseable {
    private final Pointer pointer;
    private final long bytes;
    private final String what;
    private boolean closed;

    /**
     * @param what names the buffer in error messages ("points", "products", ...)
     */
    DeviceMemory(long bytes, String what) {
        if (bytes <= 0) throw new IllegalArgumentException(what + ": cannot allocate " + bytes + " bytes");
        this.bytes = bytes;
        this.what = what;
        this.pointer = new Pointer();
        Cuda.check("cudaMalloc(" + what + ", " + Cuda.bytes(bytes) + ")", cudart.cudaMalloc(pointer, bytes));
    }

    long address() {
        if (closed) throw new IllegalStateException(what + " is freed");
        return pointer.address();
    }

    /** The device address {@code offsetBytes} into this block. */
    long at(long offsetBytes) {
        if (offsetBytes < 0 || offsetBytes > bytes) {
            throw new IndexOutOfBoundsException(what + ": offset " + offsetBytes + " outside " + bytes + " bytes");
        }
        return address() + offsetBytes;
    }

    long bytes() {
        return bytes;
    }

    /** A float pointer (for cuBLAS) at {@code offsetFloats} floats into this block. */
    FloatPointer floats(long offsetFloats) {
        return floatsAt(at(offsetFloats * Float.BYTES));
    }

    /** A float pointer holding a raw address, owning nothing (JavaCPP has no public constructor for this). */
    static FloatPointer floatsAt(long address) {
        return new RawFloats(address);
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

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Freeing cannot usefully fail at close; a sticky error from an earlier kernel shows up there.
        Cuda.check("cudaFree(" + what + ")", cudart.cudaFree(pointer));
    }
}
