package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.metrics.RandIndex;

/**
 * {@code train --device cuda --cluster-init spectral}: the graph and eigenvectors are computed on
 * the host either way, and k-means on the spectral rows and the nearest-centroid assignment run on
 * the device; the result should be the CPU's.
 */
class SpectralClusteringCudaTest {
    static CudaBackend gpu;
    static CpuBackend cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("spectral clustering on the CUDA backend");
        gpu = new CudaBackend(0, false, 0);
        cpu = new CpuBackend();
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (cpu != null) cpu.close();
    }

    @Test
    void centroidModelMatchesTheCpu() {
        int n = 3000;
        int d = 10;
        int k = 8;
        float[] x = CudaCentroidIndexTest.blobs(n, d, k, 21);
        SpectralClustering.Params params = SpectralClustering.Params.defaults();
        KMeansParams kmeans = KMeansParams.of(k, 5);
        KMeansModel onGpu = SpectralClustering.centroidModel(gpu, x, n, d, params, kmeans);
        KMeansModel onCpu = SpectralClustering.centroidModel(cpu, x, n, d, params, kmeans);
        double ari = RandIndex.ari(onCpu.labels(), onGpu.labels());
        assertTrue(ari >= 0.999, "GPU and CPU spectral clusterings differ: ARI " + ari);
        if (ari == 1.0) assertArrayEquals(onCpu.centroids(), onGpu.centroids(), 1e-5f);
    }
}
