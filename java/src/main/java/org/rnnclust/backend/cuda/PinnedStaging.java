package org.rnnclust.backend.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.rnnclust.backend.Resources;

/**
 * Copies between Java float arrays and the device through a ring of {@link #SLOTS} pinned buffers,
 * so that an upload fills one while the device still copies from the others (an event per buffer
 * says when the device has read it). A training batch uploads three or four arrays (the input, the
 * masks, a corrupted input); with only two buffers its third upload waited for its first copy, which
 * the stream runs after the whole previous step: the host could never run ahead of the device.
 * With eight, it waits at most for the copies of the batch before, and issues the next step while
 * the device computes this one. A download waits for its copy. The buffers grow on demand up to
 * {@link #STAGING_FLOATS} floats; larger copies go in chunks of that size.
 */
final class PinnedStaging implements AutoCloseable {
    /** Floats per pinned staging buffer (two of them). */
    private static final int STAGING_FLOATS = 1 << 22;

    private final CudaContext ctx;
    private final CUstream_st stream;
    /** Pinned buffers in the ring, each grown on first use. */
    private static final int SLOTS = 8;

    private final PinnedMemory[] staging = new PinnedMemory[SLOTS];
    private final CUevent_st[] stagingFree = new CUevent_st[SLOTS];
    private int stagingSlot;

    /** Staging for copies on {@code stream}; nothing pinned until the first copy. */
    PinnedStaging(CudaContext ctx, CUstream_st stream) {
        this.ctx = ctx;
        this.stream = stream;
        try {
            for (int s = 0; s < SLOTS; s++) stagingFree[s] = ctx.createEvent(false);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Copies src[srcOff, srcOff + n) to the device, from {@code dstAddress} on; returns before the copy ends. */
    void upload(float[] src, int srcOff, long dstAddress, int n) {
        for (int done = 0; done < n; ) {
            int chunk = Math.min(n - done, STAGING_FLOATS);
            int s = stagingSlot;
            stagingSlot = (stagingSlot + 1) % SLOTS;
            // The slot's previous copy must have left it before the host overwrites it.
            Cuda.check("cudaEventSynchronize(staging)", cudart.cudaEventSynchronize(stagingFree[s]));
            PinnedMemory p = stagingBuffer(s, chunk);
            p.floats().put(src, srcOff + done, chunk);
            Cuda.check("cudaMemcpyAsync(upload)", cudart.cudaMemcpyAsync(
                    DeviceMemory.pointerAt(dstAddress + (long) done * Float.BYTES), DeviceMemory.pointerAt(p.address()),
                    (long) chunk * Float.BYTES, cudart.cudaMemcpyHostToDevice, stream));
            Cuda.check("cudaEventRecord(staging)", cudart.cudaEventRecord(stagingFree[s], stream));
            done += chunk;
        }
    }

    /** Copies n floats from the device, from {@code srcAddress} on, into dst[dstOff, dstOff + n); waits for them. */
    void download(long srcAddress, float[] dst, int dstOff, int n) {
        for (int done = 0; done < n; ) {
            int chunk = Math.min(n - done, STAGING_FLOATS);
            PinnedMemory p = stagingBuffer(stagingSlot, chunk);
            Cuda.check("cudaMemcpyAsync(download)", cudart.cudaMemcpyAsync(DeviceMemory.pointerAt(p.address()),
                    DeviceMemory.pointerAt(srcAddress + (long) done * Float.BYTES), (long) chunk * Float.BYTES,
                    cudart.cudaMemcpyDeviceToHost, stream));
            ctx.synchronize(stream, "download");
            p.floats().get(dst, dstOff + done, chunk);
            done += chunk;
        }
    }

    private PinnedMemory stagingBuffer(int slot, int floats) {
        PinnedMemory p = staging[slot];
        if (p == null || p.bytes() < (long) floats * Float.BYTES) {
            // Growing: wait until nothing reads the old one.
            ctx.synchronize(stream, "staging buffer");
            if (p != null) p.close();
            staging[slot] = null;
            long want = Math.min(STAGING_FLOATS, Math.max(floats, 1 << 16));
            staging[slot] = p = new PinnedMemory(want * Float.BYTES, "pinned staging");
        }
        return p;
    }

    /** Frees the buffers and events; the stream must be idle. */
    @Override
    public void close() {
        Resources.closeAll(() -> Resources.closeAll(staging), this::destroyEvents);
    }

    private void destroyEvents() {
        for (int s = 0; s < SLOTS; s++) {
            if (stagingFree[s] != null) ctx.destroyEvent(stagingFree[s]);
            stagingFree[s] = null;
        }
    }
}
