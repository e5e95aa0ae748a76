package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * One loaded model used by 8 threads at once for embed and cluster, as a server answering requests
 * would: every thread must get exactly the embeddings and assignments that one thread alone gets.
 * Shared: the {@link TrainedModel} and the {@link Backend} (its thread pool and tensor ops); each
 * call makes its own network from the model, as `embed` and `cluster` do.
 */
class ConcurrentUseTest {
    static final int THREADS = 8;
    static final int ROUNDS = 3;

    @TempDir Path tmp;

    record Result(float[] embedding, int[] clusters) {}

    static Result embedAndCluster(Backend backend, TrainedModel model, Dataset data) {
        PaddedSequences padded = PaddedSequences.of(model.preprocessor().apply(data));
        float[] emb;
        try (SequenceAutoencoder net = model.instantiate(backend.tensorOps())) {
            emb = Trainer.embed(backend.tensorOps(), net, padded, 16);
        }
        KMeansModel km = new KMeansModel(model.k(), model.spec().latent(), model.centroids(), null, Double.NaN, 0, true,
                List.of());
        return new Result(emb, km.predict(backend, emb, data.size()).labels());
    }

    @Test
    void eightThreadsSharingOneModelAndBackendGetWhatOneThreadGets() throws Exception {
        for (CellType cell : CellType.values()) {
            TrainedModel model = savedAndLoaded(cell);
            // Each thread its own data, so that a mixed-up buffer shows as a wrong answer.
            List<Dataset> data = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) data.add(Cbf.generate(40, 48, 100 + t));
            try (Backend backend = new CpuBackend(2)) {
                List<Result> alone = new ArrayList<>();
                for (Dataset d : data) alone.add(embedAndCluster(backend, model, d));

                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                try {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<List<Result>>> futures = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        Dataset d = data.get(t);
                        futures.add(pool.submit(() -> {
                            start.await();
                            List<Result> rounds = new ArrayList<>();
                            for (int r = 0; r < ROUNDS; r++) rounds.add(embedAndCluster(backend, model, d));
                            return rounds;
                        }));
                    }
                    start.countDown();
                    for (int t = 0; t < THREADS; t++) {
                        List<Result> rounds = futures.get(t).get(60, TimeUnit.SECONDS);
                        for (int r = 0; r < ROUNDS; r++) {
                            String where = cell + ", thread " + t + ", round " + r;
                            assertArrayEquals(alone.get(t).embedding(), rounds.get(r).embedding(), where + ": embedding");
                            assertArrayEquals(alone.get(t).clusters(), rounds.get(r).clusters(), where + ": clusters");
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    /** A small model with random weights and centroids spread over the embedding, through its file. */
    private TrainedModel savedAndLoaded(CellType cell) {
        Dataset fit = Cbf.generate(30, 48, 1);
        AutoencoderSpec spec = new AutoencoderSpec(cell, 1, 24, 2, cell == CellType.GRU, 6);
        Preprocessor prep = Preprocessor.fit(PreprocessOptions.defaults(), fit);
        try (Backend backend = new CpuBackend(1);
             SequenceAutoencoder net = new SequenceAutoencoder(backend.tensorOps(), spec, 5)) {
            float[] emb = Trainer.embed(backend.tensorOps(), net, PaddedSequences.of(prep.apply(fit)), 16);
            int k = 3;
            float[] centroids = new float[k * spec.latent()];
            for (int c = 0; c < k; c++) System.arraycopy(emb, c * 10 * spec.latent(), centroids, c * spec.latent(), spec.latent());
            Path file = tmp.resolve(cell + ".rnnclust");
            new TrainedModel(spec, prep, centroids, k, TrainedModel.weightsOf(net), List.of(), new ObjectMapper().createObjectNode())
                    .save(file);
            return TrainedModel.load(file);
        }
    }
}
