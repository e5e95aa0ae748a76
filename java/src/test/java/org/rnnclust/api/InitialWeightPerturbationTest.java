package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.Trainer;
import org.rnnclust.testing.CpuDevice;

/** The sensitivity probe's setting: every initial weight one ulp up when on, nothing changed when off. */
class InitialWeightPerturbationTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(true);

    @TempDir Path tmp;



    static final PaddedSequences TRAIN = PaddedSequences.of(
            Preprocessor.fit(PreprocessOptions.defaults(), SequenceClustererTest.TRAIN).apply(SequenceClustererTest.TRAIN));

    @Test
    void everyInitialWeightMovesUpByExactlyOneUlp() {
        SequenceClusterer perturbed = SequenceClustererTest.small().initialWeightPerturbationUlps(1).build();
        SequenceClusterer plain = SequenceClustererTest.small().build();
        TensorOps ops = CPU.get().backend().tensorOps();
        AutoencoderSpec spec = plain.spec(1);
        try (SequenceAutoencoder reference = new SequenceAutoencoder(ops, spec, plain.seed());
             SequenceAutoencoder moved = new RecurrentFit(perturbed, CPU.get(), FitOptions.defaults()).initialNetwork(ops, spec);
             SequenceAutoencoder unmoved = new RecurrentFit(plain, CPU.get(), FitOptions.defaults()).initialNetwork(ops, spec)) {
            long checked = 0;
            for (int p = 0; p < reference.parameters().size(); p++) {
                float[] before = reference.parameters().get(p).get();
                float[] after = moved.parameters().get(p).get();
                assertArrayEquals(before, unmoved.parameters().get(p).get(), "off: the seeded initialisation untouched");
                for (int i = 0; i < before.length; i++) {
                    double step = (double) after[i] - before[i];
                    // Up by one unit in the last place: ulp(before), except just above a negative power
                    // of two, where the spacing below |before| is half of it, ulp(after).
                    assertTrue(step > 0 && step == Math.min(Math.ulp(before[i]), Math.ulp(after[i])),
                            reference.parameters().get(p).name() + "[" + i + "]: " + before[i] + " -> " + after[i]);
                    assertEquals(Math.nextUp(before[i]), after[i]);
                    checked++;
                }
            }
            assertTrue(checked > 100, "every parameter of the network checked: " + checked);
        }
    }

    @Test
    void thePerturbedPretrainingIsTrainingFromWeightsMovedUpByHand() {
        SequenceClusterer perturbed = SequenceClustererTest.small().initialWeightPerturbationUlps(1).build();
        Pretraining viaApi = perturbed.pretrain(CPU.get(), TRAIN, FitOptions.defaults());
        TensorOps ops = CPU.get().backend().tensorOps();
        try (SequenceAutoencoder net = new SequenceAutoencoder(ops, perturbed.spec(1), perturbed.seed())) {
            for (Parameter p : net.parameters()) {
                float[] v = p.get();
                for (int i = 0; i < v.length; i++) v[i] = Math.nextUp(v[i]);
                p.set(v);
            }
            TrainConfig config = perturbed.trainConfig();
            new Trainer(ops, config, null).train(net, TRAIN);
            List<float[]> byHand = net.parameters().stream().map(Parameter::get).toList();
            for (int i = 0; i < byHand.size(); i++) assertArrayEquals(byHand.get(i), viaApi.weights().get(i));
        }
        Pretraining unperturbed = SequenceClustererTest.small().build().pretrain(CPU.get(), TRAIN, FitOptions.defaults());
        assertFalse(Arrays.equals(unperturbed.weights().get(0), viaApi.weights().get(0)), "one ulp changes the training");
    }

    @Test
    void offLeavesTheModelBytesAsTheyWereAndOnIsRecorded() throws Exception {
        Path plain = tmp.resolve("plain.rnnclust");
        Path zero = tmp.resolve("zero.rnnclust");
        Path one = tmp.resolve("one.rnnclust");
        try (SequenceClusteringModel m = SequenceClustererTest.small().build().fit(CPU.get(), SequenceClustererTest.TRAIN)) {
            m.save(plain);
        }
        try (SequenceClusteringModel m = SequenceClustererTest.small().initialWeightPerturbationUlps(0).build()
                .fit(CPU.get(), SequenceClustererTest.TRAIN)) {
            m.save(zero);
        }
        try (SequenceClusteringModel m = SequenceClustererTest.small().initialWeightPerturbationUlps(1).build()
                .fit(CPU.get(), SequenceClustererTest.TRAIN)) {
            m.save(one);
        }
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(zero), "0 ulps is the default, byte for byte");
        assertFalse(TrainedModel.load(plain).training().has("initial_weight_perturbation_ulps"), "off: not recorded");
        assertEquals(1, TrainedModel.load(one).training().path("initial_weight_perturbation_ulps").asInt(),
                "on: the model file says so");
    }

    @Test
    void aNegativePerturbationIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SequenceClustererTest.small().initialWeightPerturbationUlps(-1).build());
    }
}
