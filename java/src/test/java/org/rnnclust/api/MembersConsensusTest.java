package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.CancelledException;
import org.rnnclust.cluster.ConsensusClustering;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.testing.CpuDevice;

/**
 * A fit with several members is, step by step, what one builds from one-network fits of the
 * members' seeds: their partitions' consensus, the member closest to it, the consensus clusters'
 * means in that member's embedding. With one member nothing changes. Members trained side by side
 * on two threads give the model of members trained one after the other, and a fit of several
 * members, cancelled anywhere, resumes from its checkpoints to the uninterrupted model.
 */
class MembersConsensusTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(true);
    static final PaddedSequences TRAIN = InitialWeightPerturbationTest.TRAIN;
    static final int K = 3;

    @TempDir Path tmp;



    @Test
    void threeMembersStartFromTheConsensusOfThreeOneNetworkFits() {
        long seed = 3;
        SequenceClusterer three = SequenceClustererTest.small().refine(Refine.NONE).members(3).seed(seed).build();
        List<int[]> partitions = new ArrayList<>();
        List<Pretraining> pretrainings = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            SequenceClusterer one = SequenceClustererTest.small().refine(Refine.NONE).seed(seed * 3 + r).build();
            try (SequenceClusteringModel m = one.fit(CPU.get(), TRAIN, K, FitOptions.defaults())) {
                partitions.add(m.fitReport().initial().labels());
                pretrainings.add(m.fitReport().pretraining());
                embeddings.add(m.embed(TRAIN));
            }
        }
        assertTrue(org.rnnclust.metrics.RandIndex.ari(partitions.get(0), partitions.get(1)) < 1
                || org.rnnclust.metrics.RandIndex.ari(partitions.get(0), partitions.get(2)) < 1,
                "the members must disagree somewhere, or the consensus is not tested");
        int[] consensus = ConsensusClustering.of(CPU.get().backend(), partitions, K, three.kmeans().params(K, seed));
        int chosen = ConsensusClustering.closest(partitions, consensus);
        assertTrue(chosen > 0, "with seed 3 the second member is the closest: a fit that kept the first would pass");
        KMeansModel expected = ConsensusClustering.centroidModel(CPU.get().backend(), embeddings.get(chosen), TRAIN.n(),
                three.latent(), consensus, K);

        try (SequenceClusteringModel model = three.fit(CPU.get(), TRAIN, K, FitOptions.defaults())) {
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
        try (SequenceClusteringModel plain = SequenceClustererTest.small().build().fit(CPU.get(), TRAIN, K, FitOptions.defaults());
             SequenceClusteringModel one = SequenceClustererTest.small().members(1).build().fit(CPU.get(), TRAIN, K,
                     FitOptions.defaults())) {
            plain.save(tmp.resolve("plain.rnnclust"));
            one.save(tmp.resolve("one.rnnclust"));
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("plain.rnnclust")), Files.readAllBytes(tmp.resolve("one.rnnclust")));
    }

    @Test
    void aFitStartingFromTheTrainedPretrainingOfSeveralMembersStartsFromTheirConsensus() {
        SequenceClusterer.Builder three = SequenceClustererTest.small().members(3).seed(3);
        try (SequenceClusteringModel rnn = three.refine(Refine.NONE).build().fit(CPU.get(), TRAIN, K, FitOptions.defaults());
             SequenceClusteringModel direct = three.refine(Refine.DEC).build().fit(CPU.get(), TRAIN, K, FitOptions.defaults());
             SequenceClusteringModel reused = three.refine(Refine.DEC).build().fit(CPU.get(), TRAIN, K,
                     FitOptions.defaults().startingFrom(rnn.fitReport().pretraining()))) {
            assertTrue(rnn.fitReport().pretraining().start() != null, "a members fit's pretraining carries its start");
            assertArrayEquals(rnn.centroids(), reused.fitReport().beforeRefinement().centroids(),
                    "DEC on the reused pretraining should start from the consensus, not from k-means again");
            assertArrayEquals(direct.centroids(), reused.centroids());
            assertArrayEquals(direct.fitReport().training().labels(), reused.fitReport().training().labels());
        }
    }

    @Test
    void zeroMembersAreInvalid() {
        assertThrows(IllegalArgumentException.class, () -> SequenceClustererTest.small().members(0).build());
    }

    @Test
    void membersTrainedSideBySideGiveTheModelOfMembersTrainedOneAfterTheOther() throws Exception {
        SequenceClusterer three = SequenceClustererTest.small().members(3).build();
        try (Device oneThread = Device.open(new DeviceOptions("cpu", 1, false, 0, true))) {
            assertEquals(1, oneThread.backend().concurrentFits());
            assertEquals(2, CPU.get().backend().concurrentFits());
            three.fit(oneThread, TRAIN, K, FitOptions.defaults()).save(tmp.resolve("serial.rnnclust"));
        }
        three.fit(CPU.get(), TRAIN, K, FitOptions.defaults()).save(tmp.resolve("side-by-side.rnnclust"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("serial.rnnclust")),
                Files.readAllBytes(tmp.resolve("side-by-side.rnnclust")));
    }

    /** 36 series in batches of 8: 5 batches an epoch, 6 epochs: 30 pretraining batches a member, 90 in all. */
    @ParameterizedTest(name = "cancelled at poll {0}")
    @ValueSource(ints = {4, 40, 88, 97})
    void aFitOfSeveralMembersCancelledAnywhereResumesToTheUninterruptedModel(int cancelAt) throws Exception {
        SequenceClusterer three = SequenceClustererTest.small().members(3).build();
        Path whole = tmp.resolve("whole.rnnclust");
        AtomicInteger steps = new AtomicInteger();
        three.fit(CPU.get(), TRAIN, K, FitOptions.defaults().withCancellation(() -> steps.incrementAndGet() < 0)).save(whole);

        Path checkpoint = tmp.resolve("last.ckpt");
        AtomicInteger polls = new AtomicInteger();
        assertThrows(CancelledException.class, () -> three.fit(CPU.get(), TRAIN, K, FitOptions.defaults()
                .withCheckpoint(checkpoint, false).withCancellation(() -> polls.incrementAndGet() >= cancelAt)));
        assertTrue(Files.isRegularFile(checkpoint), "the fit's own checkpoint is written before the members train");
        assertTrue(Files.isRegularFile(tmp.resolve("last.member-0.ckpt")), "member 0 trained a batch at least");

        Path resumed = tmp.resolve("resumed.rnnclust");
        AtomicInteger left = new AtomicInteger();
        three.fit(CPU.get(), TRAIN, K, FitOptions.defaults().withCheckpoint(checkpoint, true)
                .withCancellation(() -> left.incrementAndGet() < 0)).save(resumed);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
        // Every poll before the one that cancelled let a step run; the resume runs only the others.
        assertEquals(steps.get(), (cancelAt - 1) + left.get(), "the resumed fit should run only the steps left");
        for (int m = 0; m < 3; m++) {
            assertTrue(Files.isRegularFile(tmp.resolve("last.member-" + m + ".ckpt")), "member " + m + "'s checkpoint");
        }
    }

    @Test
    void aMembersCheckpointSitsBesideTheFitsCheckpoint() {
        assertEquals(Path.of("run/last.member-2.ckpt"), RecurrentFit.memberCheckpoint(Path.of("run/last.ckpt"), 2));
        assertEquals(Path.of("state.member-0"), RecurrentFit.memberCheckpoint(Path.of("state"), 0));
    }
}
