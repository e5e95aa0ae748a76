package org.rnnclust.backend;

/**
 * A {@link DeviceBuffer} that knows which ops object allocated it and whether it has been freed, so
 * that {@link CheckedTensorOps} refuses a foreign or closed buffer before a backend touches memory.
 * A backend's buffer type extends it and frees its memory in {@link #free()}.
 */
public abstract class OwnedBuffer implements DeviceBuffer {
    private final Object owner;
    private final long size;
    private boolean closed;

    /**
     * @param owner the ops object whose calls accept this buffer (see {@link CheckedTensorOps})
     * @param size  length in floats
     */
    protected OwnedBuffer(Object owner, long size) {
        this.owner = owner;
        this.size = size;
    }

    @Override
    public final long size() {
        return size;
    }

    final Object owner() {
        return owner;
    }

    final boolean isClosed() {
        return closed;
    }

    /** Frees the memory; called once, by the first {@link #close()}. */
    protected abstract void free();

    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        free();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + size + " floats" + (closed ? ", closed" : "") + "]";
    }
}
