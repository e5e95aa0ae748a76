package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.cluster.ConsensusClustering;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;

/**
 * A fit with several members is, step by step, what one builds from one-network fits of the
 * members' seeds: their partitions' consensus, the member closest to it, the consensus clusters'
 * means in that member's embedding. With one member nothing changes.
 */
class MembersConsensusTest {
    static Device cpu;
    static final PaddedSequences TRAIN = InitialWeightPerturbationTest.TRAIN;
    static final int K = 3;

    @TempDir Path tmp;

    @BeforeAll
    static void open() {
        cpu = Device.open(new DeviceOptions("cpu", 2, false, 0, true));
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    @Test
    void threeMembersStartFromTheConsensusOfThreeOneNetworkFits() {
        long seed = 3;
        SequenceClusterer three = SequenceClustererTest.small().refine(Refine.NONE).members(3).seed(seed).build();
        List<int[]> partitions = new ArrayList<>();
        List<Pretraining> pretrainings = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            SequenceClusterer one = SequenceClustererTest.small().refine(Refine.NONE).seed(seed * 3 + r).build();
            try (SequenceClusteringModel m = one.fit(cpu, TRAIN, K, FitOptions.defaults())) {
                partitions.add(m.fitReport().initial().labels());
                pretrainings.add(m.fitReport().pretraining());
                embeddings.add(m.embed(TRAIN));
            }
        }
        assertTrue(org.rnnclust.metrics.RandIndex.ari(partitions.get(0), partitions.get(1)) < 1
                || org.rnnclust.metrics.RandIndex.ari(partitions.get(0), partitions.get(2)) < 1,
                "the members must disagree somewhere, or the consensus is not tested");
        int[] consensus = ConsensusClustering.of(cpu.backend(), partitions, K, three.kmeans().params(K, seed));
        int chosen = ConsensusClustering.closest(partitions, consensus);
        assertTrue(chosen > 0, "with seed 3 the second member is the closest: a fit that kept the first would pass");
        KMeansModel expected = ConsensusClustering.centroidModel(cpu.backend(), embeddings.get(chosen), TRAIN.n(),
                three.latent(), consensus, K);

        try (SequenceClusteringModel model = three.fit(cpu, TRAIN, K, FitOptions.defaults())) {
            List<float[]> got = model.fitReport().pretraining().weights();
            List<float[]> want = pretrainings.get(chosen).weights();
            assertEquals(want.size(), got.size());
            for (int p = 0; p < want.size(); p++) assertArrayEquals(want.get(p), got.get(p), "parameter " + p);
            assertArrayEquals(expected.centroids(), model.centroids());
            assertArrayEquals(expected.labels(), model.fitReport().initial().labels());
        }
    }

    @Test
    void oneMemberIsTheFitWithoutTheSetting() throws Exception {
        try (SequenceClusteringModel plain = SequenceClustererTest.small().build().fit(cpu, TRAIN, K, FitOptions.defaults());
             SequenceClusteringModel one = SequenceClustererTest.small().members(1).build().fit(cpu, TRAIN, K,
                     FitOptions.defaults())) {
            plain.save(tmp.resolve("plain.rnnclust"));
            one.save(tmp.resolve("one.rnnclust"));
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("plain.rnnclust")), Files.readAllBytes(tmp.resolve("one.rnnclust")));
    }

    @Test
    void membersWithACheckpointAreRefusedAndZeroMembersAreInvalid() {
        SequenceClusterer three = SequenceClustererTest.small().members(3).build();
        InputException e = assertThrows(InputException.class, () -> three.fit(cpu, TRAIN, K,
                FitOptions.defaults().withCheckpoint(tmp.resolve("c.ckpt"), false)));
        assertTrue(e.getMessage().contains("members"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceClustererTest.small().members(0).build());
    }
}
