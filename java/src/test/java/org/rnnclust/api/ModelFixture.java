package org.rnnclust.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;

/**
 * Writes the model-file fixture that {@link ModelFileCompatibilityTest} reads: a small model fitted
 * with this version, the sequences it was fitted on, and their embeddings and clusters as this
 * version computed them. Run it only to make a new fixture (after a deliberate format change):
 * <pre>
 * mvn -q -B package -DskipTests &amp;&amp; mvn -q -B test-compile
 * java -cp target/rnnclust.jar:target/test-classes org.rnnclust.api.ModelFixture java/src/test/resources/fixtures/model
 * </pre>
 */
public final class ModelFixture {
    static final String MODEL = "model.rnnclust";
    static final String DATA = "data.npy";
    static final String LABELS = "labels.npy";
    static final String EMBEDDINGS = "embeddings.npy";
    static final String CLUSTERS = "clusters.npy";

    private ModelFixture() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        // 12 two-channel sequences of 9 steps in 3 classes: a rising, a falling and an oscillating shape.
        SplittableRandom rng = new SplittableRandom(3);
        int n = 12;
        int t = 9;
        float[] x = new float[n * t * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int s = 0; s < t; s++) {
                double base = y[i] == 0 ? s / 4.0 : y[i] == 1 ? -s / 4.0 : Math.sin(s);
                x[(i * t + s) * 2] = (float) (base + 0.1 * rng.nextGaussian());
                x[(i * t + s) * 2 + 1] = (float) (0.5 * base + 0.1 * rng.nextGaussian());
            }
        }
        NpyFiles.write(dir.resolve(DATA), new int[] {n, t, 2}, x);
        NpyFiles.write(dir.resolve(LABELS), new int[] {n}, y);
        Dataset data = Readers.read(dir.resolve(DATA), ReadOptions.defaults().withLabelsFile(dir.resolve(LABELS)));
        SequenceClusterer clusterer = SequenceClusterer.builder().cell(Cell.GRU).hidden(4).layers(2).bidirectional(true)
                .latent(3).epochs(5).batchSize(4).refine(Refine.IDEC).refineEpochs(2).seed(5).build();
        try (Device cpu = Device.cpu(); SequenceClusteringModel model = clusterer.fit(cpu, data)) {
            model.save(dir.resolve(MODEL));
            float[] clusters = new float[n];
            int[] c = model.predict(data);
            for (int i = 0; i < n; i++) clusters[i] = c[i];
            NpyFiles.write(dir.resolve(EMBEDDINGS), new int[] {n, model.latent()}, model.embed(data));
            NpyFiles.write(dir.resolve(CLUSTERS), new int[] {n}, clusters);
        }
    }
}
