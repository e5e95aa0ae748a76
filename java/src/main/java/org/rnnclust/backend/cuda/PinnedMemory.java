package org.rnnclust.backend.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * Page-locked host memory (cudaMallocHost): the staging area between Java arrays and the device.
 * Copies from it run asynchronously at full PCIe speed; copies from pageable memory would not
 * overlap with kernels. The views below cover the whole block; position() moves them.
 */
final class PinnedMemory extends CudaMemory {
    PinnedMemory(long bytes, String what) {
        super(Kind.PINNED, bytes, what);
    }

    FloatPointer floats() {
        return view(FloatPointer::new, Float.BYTES);
    }

    IntPointer ints() {
        return view(IntPointer::new, Integer.BYTES);
    }

    DoublePointer doubles() {
        return view(DoublePointer::new, Double.BYTES);
    }

    LongPointer longs() {
        return view(LongPointer::new, Long.BYTES);
    }
}
