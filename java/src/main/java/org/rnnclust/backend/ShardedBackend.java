package org.rnnclust.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Several devices as one backend: k-means indexes are sharded over all of them ({@link
 * ShardedCentroidIndex}, shard s on device s), everything else (the networks' tensor ops, spectral
 * clustering's neighbours and eigensolver, the peaks) runs on the first. A device may appear more
 * than once: it then holds that many shards, each through its own backend (on a GPU its own
 * streams and cuBLAS handle), which is how sharding is tested on one GPU.
 */
public final class ShardedBackend implements Backend {
    private final List<Backend> devices;

    /** Takes the backends over: closing this closes them. */
    public ShardedBackend(List<? extends Backend> devices) {
        if (devices.isEmpty()) throw new IllegalArgumentException("no devices to shard over");
        this.devices = List.copyOf(devices);
    }

    /** The devices, shard s's first. */
    public List<Backend> devices() {
        return devices;
    }

    /** "cuda:0,1" for cuda:0 and cuda:1; other names are listed whole. */
    @Override
    public String name() {
        StringBuilder s = new StringBuilder(devices.get(0).name());
        boolean cuda = s.toString().startsWith("cuda:");
        for (Backend b : devices.subList(1, devices.size())) {
            s.append(',').append(cuda && b.name().startsWith("cuda:") ? b.name().substring(5) : b.name());
        }
        return s.toString();
    }

    @Override
    public String description() {
        List<String> each = new ArrayList<>(devices.size());
        for (Backend b : devices) each.add(b.description());
        return "k-means sharded over " + devices.size() + " devices (the rest on the first): " + String.join("; ", each);
    }

    /**
     * An index sharded over the devices, one slice of the rows each; fewer shards when there are
     * fewer points than devices (every shard needs a point), so one point still has an index.
     */
    @Override
    public CentroidIndex centroidIndex(float[] x, int n, int d) {
        return ShardedCentroidIndex.over(devices.subList(0, Math.max(1, Math.min(n, devices.size()))), x, n, d);
    }

    /** Spectral clustering's neighbour search runs on the first device, as the networks do. */
    @Override
    public Neighbours nearestNeighbours(float[] x, int n, int d, int m) {
        return devices.get(0).nearestNeighbours(x, n, d, m);
    }

    @Override
    public KrylovSpace krylovSpace(ScaledSparseMatrix a, int maxBasis) {
        return devices.get(0).krylovSpace(a, maxBasis);
    }

    @Override
    public TensorOps tensorOps() {
        return devices.get(0).tensorOps();
    }

    @Override
    public boolean deterministic() {
        for (Backend b : devices) if (!b.deterministic()) return false;
        return true;
    }

    @Override
    public int concurrentFits() {
        return devices.get(0).concurrentFits();
    }

    @Override
    public Peaks measurePeaks() {
        return devices.get(0).measurePeaks();
    }

    // timeMs stays the wall clock: a sharded call is the work of several devices.

    @Override
    public void close() {
        Resources.closeAll(devices.toArray(new AutoCloseable[0]));
    }
}
