package org.rnnclust.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.rnnclust.backend.OwnedBuffer;

/**
 * Off-heap floats for {@link CpuOps}: OpenBLAS reads them in place through {@link FloatPointer}s,
 * and the Java loops through a {@link FloatBuffer} over the same memory (bulk copies into heap
 * arrays, then plain loops). Sizes are limited to {@code Integer.MAX_VALUE} floats (the NIO view's
 * limit).
 */
final class CpuBuffer extends OwnedBuffer {
    /** Absolute get/put only: the view is shared by the worker threads. */
    final FloatBuffer data;
    private final FloatPointer memory;

    CpuBuffer(CpuOps owner, long size) {
        super(owner, size);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a CPU buffer holds at most 2^31 - 1 floats, got " + size);
        }
        this.memory = new FloatPointer(Math.max(1, size));
        memory.zero();
        this.data = memory.asBuffer();
    }

    /**
     * A pointer to element {@code offset}, for a native call. A fresh object each time (a few
     * bytes), so that concurrent calls and a buffer passed twice need no shared position.
     */
    FloatPointer at(long offset) {
        return new FloatView(memory.address() + offset * Float.BYTES, size() - offset);
    }

    /** The native address of element {@code offset}, for the JNI kernels (the caller checks ranges). */
    long address(long offset) {
        return memory.address() + offset * Float.BYTES;
    }

    /** The same as bytes, for {@link Pointer#memcpy}/{@link Pointer#memset}, which count positions in bytes. */
    BytePointer bytesAt(long offset) {
        return new ByteView(memory.address() + offset * Float.BYTES, (size() - offset) * Float.BYTES);
    }

    @Override
    protected void free() {
        memory.deallocate();
    }

    /** Non-owning pointers: closing or collecting them frees nothing. */
    private static final class FloatView extends FloatPointer {
        FloatView(long address, long length) {
            super((Pointer) null);
            this.address = address;
            this.limit = length;
            this.capacity = length;
        }
    }

    private static final class ByteView extends BytePointer {
        ByteView(long address, long length) {
            super((Pointer) null);
            this.address = address;
            this.limit = length;
            this.capacity = length;
        }
    }
}
