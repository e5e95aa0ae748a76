package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.CancelledException;
import org.rnnclust.InputException;
import org.rnnclust.cluster.ConsensusClustering;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.io.ModelFile;
import org.rnnclust.testing.CpuDevice;

/**
 * The reservoir model as train saves it and cluster and embed apply it: the same clusters as
 * evaluate's method for the same seed, the same numbers after a save and a load, an embedding made
 * of the members' coordinates from which the clusters follow by hand, the training resampling
 * ratio kept for sets of other lengths, and one line for a damaged file.
 */
class ReservoirClusteringModelTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(false);
    @TempDir Path tmp;



    /** n noisy sines of 3 frequencies (the label), lengths from minLength to 90 steps. */
    static Dataset sines(String name, int n, int minLength, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] series = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int t = minLength == 90 ? 90 : r.nextInt(minLength, 91);
            labels[i] = i % 3;
            double phase = r.nextDouble(0, 2 * Math.PI);
            series[i] = new float[t];
            for (int s = 0; s < t; s++) {
                series[i][s] = (float) (Math.sin((1 + labels[i]) * 2 * Math.PI * s / 90 + phase) + 0.1 * r.nextGaussian());
            }
        }
        return new Dataset(name, series, 1, labels, List.of("one", "two", "three"));
    }

    static ReservoirClusterer clusterer(int members, int maxSteps) {
        return clusterer(members, maxSteps, ReservoirViews.NONE);
    }

    static ReservoirClusterer clusterer(int members, int maxSteps, ReservoirViews views) {
        return ReservoirClusterer.builder().settings(ReservoirMethodTest.members(maxSteps, members).withViews(views))
                .kmeans(KMeansSettings.withRestarts(3)).seed(7).build();
    }

    @Test
    void clustersAreEvaluatesForTheSameSeedAndSurviveASaveAndALoadBitForBit() throws IOException {
        Dataset train = sines("train", 36, 90, 1);
        Dataset test = sines("test", 20, 90, 2);
        // The views too: a difference channel (members read twice the channels) and members at steps of their own.
        List<ReservoirViews> viewsTried = List.of(ReservoirViews.NONE, new ReservoirViews(true, List.of(30, 45, 0), 0));
        for (int members : new int[] {1, 3}) for (ReservoirViews views : viewsTried) {
            ReservoirClusterer c = clusterer(members, 45, views);
            PreparedData data = PreparedData.prepare(train, test, PreprocessOptions.defaults());
            String what = members + " members, " + views;
            Path file = tmp.resolve("m" + members + (views.none() ? "" : "-views") + ".rnnclust");
            try (ReservoirClusteringModel model = c.fit(CPU.get(), data, () -> false);
                 FittedClustering byEvaluate = Methods.reservoir(c.settings(), c.kmeans()).fit(CPU.get(), data.train(), 3, 7)) {
                int[] labels = model.assign(data.test()).labels();
                assertArrayEquals(byEvaluate.assign(data.test()).labels(), labels, what);
                assertArrayEquals(byEvaluate.trainingLabels(), model.training().labels());
                assertEquals(byEvaluate.parameterCount(), model.parameterCount());
                if (members == 1) assertArrayEquals(byEvaluate.embed(data.test()), model.embed(data.test()));
                model.save(file);
                ClusteringModel loaded = ClusteringModel.load(file).on(CPU.get());
                assertInstanceOf(ReservoirClusteringModel.class, loaded);
                assertEquals(c.settings(), ((ReservoirClusteringModel) loaded).settings(), what);
                assertEquals("rnn-esn", loaded.method());
                assertEquals(List.of("one", "two", "three"), loaded.labelNames());
                assertEquals(model.latent(), loaded.latent());
                assertEquals(model.parameterCount(), loaded.parameterCount());
                assertArrayEquals(model.embed(test), loaded.embed(test), what);
                assertArrayEquals(labels, loaded.predict(test), "from the raw data, through the saved preprocessing: " + what);
                // The same seed and data give the same bytes.
                Path again = tmp.resolve("again.rnnclust");
                loaded.save(again);
                assertArrayEquals(bytes(file), bytes(again));
            }
        }
    }

    @Test
    void withSeveralReservoirsAClusterIsTheConsensusOfTheMembersBlocksOfTheEmbedding() {
        Dataset train = sines("train", 36, 90, 3);
        Dataset test = sines("test", 15, 90, 4);
        Path file = tmp.resolve("model.rnnclust");
        try (ReservoirClusteringModel model = clusterer(3, 0).fit(CPU.get(), train)) {
            model.save(file);
            float[] z = model.embed(test);
            Map<String, ModelFile.Tensor> t = ModelFile.read(file).tensors();
            List<int[]> memberLabels = new ArrayList<>();
            int offset = 0;
            for (int m = 0; m < 3; m++) {
                float[] centroids = t.get("m" + m + ".kmeans.centroids").data();
                int d = centroids.length / 3;
                memberLabels.add(nearest(z, test.size(), model.latent(), offset, centroids, d));
                offset += d;
            }
            assertEquals(model.latent(), offset, "the embedding is the members' coordinates side by side");
            float[] oneHot = ConsensusClustering.oneHot(memberLabels, 3);
            int[] byHand = nearest(oneHot, test.size(), 9, 0, t.get("consensus.centroids").data(), 9);
            assertArrayEquals(byHand, model.predict(test));
            ClusteringModel.Embedded both = model.embedAndAssign(test);
            assertArrayEquals(z, both.embeddings(), "embedAndAssign's embeddings are embed's");
            Assignment alone = model.assign(test);
            assertArrayEquals(alone.labels(), both.assignment().labels(), "and its clusters assign's");
            assertEquals(alone.inertia(), both.assignment().inertia());
        }
    }

    @Test
    void setsOfOtherLengthsAreResampledByTheTrainingRatio() {
        Dataset train = sines("train", 36, 40, 5);
        Dataset test = sines("test", 18, 40, 6);
        try (ReservoirClusteringModel model = clusterer(2, 30).fit(CPU.get(), train)) {
            int[] all = model.predict(test);
            float[] z = model.embed(test);
            // The shortest six alone: padded to fewer steps, read at the same ratio, so the same clusters.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) order.add(i);
            order.sort((a, b) -> Integer.compare(test.length(a), test.length(b)));
            float[][] shortest = new float[6][];
            int[] labels = new int[6];
            for (int j = 0; j < 6; j++) {
                shortest[j] = test.series(order.get(j));
                labels[j] = test.labels()[order.get(j)];
            }
            Dataset few = new Dataset("few", shortest, 1, labels, test.labelNames());
            assertTrue(PaddedSequences.of(few).maxLength() < PaddedSequences.of(test).maxLength());
            int[] alone = model.predict(few);
            float[] zAlone = model.embed(few);
            int d = model.latent();
            for (int j = 0; j < 6; j++) {
                assertEquals(all[order.get(j)], alone[j], "sequence " + order.get(j));
                // Not bit for bit: the reservoirs' matrix products round by the rows per call.
                for (int c = 0; c < d; c++) {
                    float want = z[order.get(j) * d + c];
                    assertEquals(want, zAlone[j * d + c], 1e-5 * Math.max(1, Math.abs(want)), "sequence " + order.get(j));
                }
            }
        }
    }

    @Test
    void theFileRecordsTheDeterministicMode() {
        Dataset train = sines("train", 24, 90, 10);
        try (Device exact = Device.open(DeviceOptions.deterministicCpu())) {
            for (Device d : new Device[] {CPU.get(), exact}) {
                Path file = tmp.resolve("mode-" + d.deterministic() + ".rnnclust");
                try (ReservoirClusteringModel m = clusterer(1, 0).fit(d, train)) {
                    m.save(file);
                }
                assertEquals(d.deterministic(), ModelFile.read(file).header().path("training").path("deterministic")
                        .asBoolean(false));
                ClusteringModel.load(file);  // and it loads
            }
        }
    }

    @Test
    void aCancellationStopsTheFitBetweenTwoReservoirs() {
        PreparedData data = PreparedData.prepare(sines("train", 24, 90, 9), null, PreprocessOptions.defaults());
        int[] asked = {0};
        CancelledException e = assertThrows(CancelledException.class,
                () -> clusterer(3, 0).fit(CPU.get(), data, () -> ++asked[0] > 2));
        assertEquals(3, asked[0], "asked before the first reservoir and before each later one, until it answered true");
        assertTrue(e.getMessage().contains("after 2 of 3 reservoirs"), e.getMessage());
    }

    @Test
    void aDamagedOrForeignFileIsOneLineNamingIt() throws Exception {
        Path file = tmp.resolve("model.rnnclust");
        try (ReservoirClusteringModel model = clusterer(2, 0).fit(CPU.get(), sines("train", 24, 90, 8))) {
            model.save(file);
        }
        Map<String, UnaryOperator<ModelFile.Loaded>> damage = new LinkedHashMap<>();
        damage.put("f64 tensor 'm1.pca.mean' is missing", l -> without(l, "m1.pca.mean"));
        damage.put("reservoir weight weight_hh_l0_reverse holds NaN", l -> replaced(l, "m0.reservoir.weight_hh_l0_reverse",
                x -> { float[] v = x.data().clone(); v[5] = Float.NaN; return new ModelFile.Tensor(x.name(), x.shape(), v); }));
        damage.put("tensor 'm0.scaling.scale' holds", l -> replaced(l, "m0.scaling.scale",
                x -> ModelFile.Tensor.ofDoubles(x.name(), new int[] {3}, new double[] {1, 1, 1})));
        damage.put("'units' is", l -> { l.header().with("reservoir").put("units", -4); return l; });
        damage.put("'members' is", l -> { l.header().with("reservoir").put("members", 100_000); return l; });
        damage.put("'member_steps' holds -1", l -> {
            ObjectNode v = l.header().with("reservoir").putObject("views");
            v.put("differences", false);
            v.putArray("member_steps").add(30).add(-1);
            return l;
        });
        damage.put("reservoir weight weight_ih_l0 holds 40 values, not 80", l -> {
            l.header().with("reservoir").putObject("views").put("differences", true).putArray("member_steps");
            return l;
        });
        damage.put("not an rnnclust model", l -> { l.header().put("kind", "rnnclust-checkpoint"); return l; });
        for (Map.Entry<String, UnaryOperator<ModelFile.Loaded>> d : damage.entrySet()) {
            ModelFile.Loaded loaded = d.getValue().apply(ModelFile.read(file));
            Path bad = tmp.resolve("bad.rnnclust");
            ModelFile.write(bad, loaded.header(), new ArrayList<>(loaded.tensors().values()));
            InputException e = assertThrows(InputException.class, () -> ClusteringModel.load(bad), d.getKey());
            assertTrue(e.getMessage().startsWith(bad + ": ") && e.getMessage().contains(d.getKey())
                    && !e.getMessage().contains("\n"), d.getKey() + " -> " + e.getMessage());
        }
        InputException e = assertThrows(InputException.class, () -> SequenceClusteringModel.load(file));
        assertTrue(e.getMessage().contains("a 'reservoir' model, not an autoencoder's"), e.getMessage());
    }

    private static ModelFile.Loaded without(ModelFile.Loaded l, String name) {
        Map<String, ModelFile.Tensor> t = new LinkedHashMap<>(l.tensors());
        t.remove(name);
        return new ModelFile.Loaded(l.header(), t);
    }

    private static ModelFile.Loaded replaced(ModelFile.Loaded l, String name, UnaryOperator<ModelFile.Tensor> f) {
        Map<String, ModelFile.Tensor> t = new LinkedHashMap<>(l.tensors());
        t.put(name, f.apply(t.get(name)));
        return new ModelFile.Loaded(l.header(), t);
    }

    /** The nearest of k centroids (k × d) for each row's columns [offset, offset + d) of x (n × width). */
    private static int[] nearest(float[] x, int n, int width, int offset, float[] centroids, int d) {
        int k = centroids.length / d;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[i * width + offset + j] - centroids[c * d + j];
                    s += diff * diff;
                }
                if (s < best) {
                    best = s;
                    out[i] = c;
                }
            }
        }
        return out;
    }

    private static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
