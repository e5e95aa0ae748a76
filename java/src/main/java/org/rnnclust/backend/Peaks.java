package org.rnnclust.backend;

/**
 * What the device can do at best, measured in the same run as the benchmarks they bound: the
 * floor of an operation is max(FLOPs / gemm rate, bytes / bandwidth).
 *
 * @param gemmGflops     SGEMM throughput on a large square product, all cores (or the whole GPU)
 * @param bandwidthGBs   sustained memory bandwidth (a triad over buffers far larger than the caches)
 */
public record Peaks(double gemmGflops, double bandwidthGBs) {

    /** Lowest time in ms an operation of these FLOPs and bytes can take here. */
    public double floorMs(double flops, double bytes) {
        return Math.max(flops / (gemmGflops * 1e9), bytes / (bandwidthGBs * 1e9)) * 1e3;
    }
}
