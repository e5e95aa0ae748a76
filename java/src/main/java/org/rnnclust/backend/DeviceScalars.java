package org.rnnclust.backend;

/**
 * A few doubles in a device's memory, allocated by a {@link TensorOps} and usable only with it: the
 * scalars of a training step (a batch's loss, the squared gradient norm, an epoch's running sums)
 * stay where the ops run, and ops that take them as input (clipping, the batch record) read them
 * there, so that the host waits for the device only when it reads them ({@link TensorOps#readScalars}).
 * Closing frees the memory; closed scalars must not be used again.
 */
public abstract class DeviceScalars implements AutoCloseable {
    private final Object owner;
    private final int size;
    private boolean closed;

    /**
     * @param owner the ops object whose calls accept these scalars
     * @param size  how many doubles
     */
    protected DeviceScalars(Object owner, int size) {
        this.owner = owner;
        this.size = size;
    }

    /** How many doubles. */
    public final int size() {
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
        return getClass().getSimpleName() + "[" + size + " doubles" + (closed ? ", closed" : "") + "]";
    }
}
