package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.Dataset;

/**
 * A reservoir model fitted on the CPU, saved, loaded and applied on the GPU: the reservoirs run
 * through the CUDA cells, everything after them on the host, so the embeddings agree with the CPU's
 * to float rounding and the clusters of well-separated data are the same. Skipped, with the
 * reason, where there is no GPU; ci/gpu-check.sh runs it.
 */
@Tag("gpu")
class ReservoirClusteringModelCudaTest {
    @TempDir Path tmp;

    @Test
    void aCpuModelAppliedOnTheGpuGivesTheCpusEmbeddingsAndClusters() {
        assumeGpu("the reservoir model on CUDA");
        Dataset train = ReservoirClusteringModelTest.sines("train", 60, 40, 1);
        Dataset test = ReservoirClusteringModelTest.sines("test", 30, 40, 2);
        Path file = tmp.resolve("model.rnnclust");
        float[] cpuEmbedding;
        int[] cpuClusters;
        try (Device cpu = Device.open(DeviceOptions.of("cpu"));
             ReservoirClusteringModel model = ReservoirClusteringModelTest.clusterer(3, 30).fit(cpu, train)) {
            model.save(file);
            cpuEmbedding = model.embed(test);
            cpuClusters = model.predict(test);
        }
        try (Device gpu = Device.open(DeviceOptions.of("cuda"))) {
            ClusteringModel onGpu = ClusteringModel.load(file).on(gpu);
            float[] gpuEmbedding = onGpu.embed(test);
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < cpuEmbedding.length; i++) {
                diff += Math.pow(gpuEmbedding[i] - cpuEmbedding[i], 2);
                norm += Math.pow(cpuEmbedding[i], 2);
            }
            assertTrue(Math.sqrt(diff / norm) <= 1e-4, "relative difference " + Math.sqrt(diff / norm));
            assertArrayEquals(cpuClusters, onGpu.predict(test));
        }
    }
}
