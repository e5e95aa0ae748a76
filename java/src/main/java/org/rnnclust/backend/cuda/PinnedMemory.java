package org.rnnclust.backend.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.cuda.global.cudart;

/**
 * Page-locked host memory (cudaMallocHost): the staging area between Java arrays and the device.
 * Copies from it run asynchronously at full PCIe speed; copies from pageable memory would not
 * overlap with kernels.
 */
final class PinnedMemory implements AutoCloseable {
    private final Pointer pointer;
    private final long bytes;
    private final String what;
    private boolean closed;

    PinnedMemory(long bytes, String what) {
        if (bytes <= 0) throw new IllegalArgumentException(what + ": cannot allocate " + bytes + " bytes");
        this.bytes = bytes;
        this.what = what;
        this.pointer = new Pointer();
        Cuda.check("cudaMallocHost(" + what + ", " + Cuda.bytes(bytes) + ")", cudart.cudaMallocHost(pointer, bytes));
    }

    long address() {
        if (closed) throw new IllegalStateException(what + " is freed");
        return pointer.address();
    }

    long bytes() {
        return bytes;
    }

    /** Float view of the whole block; position() moves it. */
    FloatPointer floats() {
        long a = address();
        long n = bytes / Float.BYTES;
        return new FloatPointer() {
            {
                this.address = a;
                this.capacity = n;
                this.limit = n;
            }
        };
    }

    IntPointer ints() {
        long a = address();
        long n = bytes / Integer.BYTES;
        return new IntPointer() {
            {
                this.address = a;
                this.capacity = n;
                this.limit = n;
            }
        };
    }

    org.bytedeco.javacpp.DoublePointer doubles() {
        long a = address();
        long n = bytes / Double.BYTES;
        return new org.bytedeco.javacpp.DoublePointer() {
            {
                this.address = a;
                this.capacity = n;
                this.limit = n;
            }
        };
    }

    org.bytedeco.javacpp.LongPointer longs() {
        long a = address();
        long n = bytes / Long.BYTES;
        return new org.bytedeco.javacpp.LongPointer() {
            {
                this.address = a;
                this.capacity = n;
                this.limit = n;
            }
        };
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Cuda.check("cudaFreeHost(" + what + ")", cudart.cudaFreeHost(pointer));
    }
}
