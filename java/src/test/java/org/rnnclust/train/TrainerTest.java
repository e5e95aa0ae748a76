package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.CancelledException;
import org.rnnclust.Setting;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.io.ModelFile;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;

/** Reproducibility, resume, divergence and early stopping of the training loop. */
class TrainerTest {
    @TempDir Path tmp;

    static PaddedSequences data() {
        Dataset cbf = Cbf.generate(10, 32, 5);
        return PaddedSequences.of(Preprocessor.fit(PreprocessOptions.defaults(), cbf).apply(cbf));
    }

    static final AutoencoderSpec SPEC = new AutoencoderSpec(CellType.LSTM, 1, 8, 1, false, 4);
    /** The settings a checkpoint records (what a resume must repeat); the tests keep them fixed. */
    static final ObjectNode RUN = new ObjectMapper().createObjectNode().put("test", "trainer");

    /** What the checkpoints of these tests record of their data (the same for every run here). */
    static final TrainingData DATA = TrainingData.of(data(), data().n(),
            Preprocessor.fit(PreprocessOptions.defaults(), Cbf.generate(10, 32, 5)));

    static CheckpointFile fresh(Path file) {
        return file == null ? CheckpointFile.none() : CheckpointFile.start(file, RUN, DATA);
    }

    /** The completed epochs the checkpoint's pretraining section records. */
    static int savedEpochs(Path file) {
        return ModelFile.read(file).header().get("sections").get("pretraining").get("epochs").asInt();
    }

    static TrainConfig config(int epochs) {
        return new TrainConfig(epochs, 7, 1e-2, 0, 1.0, 0, 1e-3, 11);
    }

    Map<String, float[]> train(TrainConfig cfg, Path ckpt, TrainingListener listener) {
        try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, cfg.seed())) {
            new Trainer(ops, cfg, listener).train(m, data(), fresh(ckpt));
            return TrainedModel.weightsOf(m);
        }
    }

    /** A listener that throws after epoch {@code n} (whose checkpoint is written before listeners hear of it). */
    static TrainingListener crashAfterEpoch(int n) {
        return new TrainingListener() {
            @Override
            public void epochFinished(Epoch e) {
                if (e.epoch() == n) throw new IllegalStateException("simulated crash");
            }
        };
    }

    /** A listener that counts the finished epochs in {@code count[0]}. */
    static TrainingListener countingEpochs(int[] count) {
        return new TrainingListener() {
            @Override
            public void epochFinished(Epoch e) {
                count[0]++;
            }
        };
    }

    static void assertSameWeights(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
    }

    @Test
    void sameSeedGivesBitwiseIdenticalModel() {
        assertSameWeights(train(config(3), null, null), train(config(3), null, null));
    }

    @Test
    void resumedRunEndsWithTheUninterruptedModel() {
        Map<String, float[]> whole = train(config(5), null, null);
        Path ckpt = tmp.resolve("last.ckpt");
        // Interrupt after epoch 2 (its checkpoint is written before listeners hear of it).
        assertThrows(IllegalStateException.class, () -> train(config(5), ckpt, crashAfterEpoch(2)));
        assertTrue(Files.exists(ckpt));
        try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, 999)) {
            // A different init seed: everything must come from the checkpoint.
            TrainingResult r = new Trainer(ops, config(5), null)
                    .train(m, data(), CheckpointFile.resume(ckpt, RUN, DATA));
            assertEquals(5, r.epochs());
            assertSameWeights(whole, TrainedModel.weightsOf(m));
        }
    }

    @Test
    void divergenceStopsWithTheEpochNamed() {
        TrainConfig huge = new TrainConfig(3, 7, 1e30, 0, 0, 0, 1e-3, 1);
        Path ckpt = tmp.resolve("d.ckpt");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train(huge, ckpt, null));
        assertTrue(e.getMessage().contains("epoch " + e.epoch()), e.getMessage());
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
        assertEquals(java.util.List.of(Setting.LEARNING_RATE, Setting.CLIP_NORM), e.settings());
        if (e.epoch() > 1) {
            // The checkpoint on disk is the last good epoch's and loads.
            assertEquals(e.epoch() - 1, savedEpochs(ckpt));
        }
    }

    @Test
    void plateauStopsEarly() {
        // lr 0: the loss never improves, so patience 2 stops after 1 + 2 epochs.
        TrainConfig flat = new TrainConfig(20, 7, 1e-30, 0, 1.0, 2, 1e-3, 1);
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, 1)) {
            TrainingResult r = new Trainer(ops, flat, null).train(m, data());
            assertEquals(3, r.epochs());
            assertTrue(r.stoppedEarly());
        }
    }

    @Test
    void divergenceAfterGoodEpochsKeepsTheirCheckpointUnchanged() throws java.io.IOException {
        // Two good epochs, then the same run continued with a learning rate that blows it up.
        Path ckpt = tmp.resolve("good.ckpt");
        train(config(2), ckpt, null);
        byte[] good = java.nio.file.Files.readAllBytes(ckpt);
        TrainConfig blowUp = new TrainConfig(6, 7, 1e6, 0, 0, 0, 1e-3, 11);
        TrainingDivergedException e;
        try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, 11)) {
            e = assertThrows(TrainingDivergedException.class, () ->
                    new Trainer(ops, blowUp, null).train(m, data(), CheckpointFile.resume(ckpt, RUN, DATA)));
        }
        assertEquals(3, e.epoch(), e.getMessage());
        assertTrue(e.getMessage().contains("training diverged in epoch 3"), e.getMessage());
        assertTrue(e.getMessage().contains("the last good checkpoint (epoch 2) is kept in " + ckpt), e.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(good, java.nio.file.Files.readAllBytes(ckpt));
    }

    @Test
    void cancellingStopsBetweenStepsAndTheResumedRunEndsWithTheUninterruptedModel() {
        Map<String, float[]> whole = train(config(5), null, null);
        Path ckpt = tmp.resolve("c.ckpt");
        int[] polls = {0};
        // 30 series in batches of 7 are 5 batches an epoch: the 13th poll comes in epoch 3.
        try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, 11)) {
            CancelledException e = assertThrows(CancelledException.class, () -> new Trainer(ops, config(5), null,
                    () -> ++polls[0] > 12).train(m, data(), fresh(ckpt)));
            assertTrue(e.getMessage().contains("epoch 3"), e.getMessage());
        }
        assertEquals(2, savedEpochs(ckpt));
        try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, 999)) {
            new Trainer(ops, config(5), null).train(m, data(), CheckpointFile.resume(ckpt, RUN, DATA));
            assertSameWeights(whole, TrainedModel.weightsOf(m));
        }
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefusedNamingTheSetting() {
        Path ckpt = tmp.resolve("o.ckpt");
        train(config(1), ckpt, null);
        ObjectNode other = RUN.deepCopy().put("test", "other");
        org.rnnclust.InputException e = assertThrows(org.rnnclust.InputException.class,
                () -> CheckpointFile.resume(ckpt, other, DATA));
        assertTrue(e.getMessage().contains("made with test = \"trainer\""), e.getMessage());
    }

    /** A checkpoint of a 4-epoch run stopped after epoch 2, in the current format. */
    private ModelFile.Loaded checkpointAfterEpoch2() {
        Path current = tmp.resolve("current.ckpt");
        assertThrows(IllegalStateException.class, () -> train(config(4), current, crashAfterEpoch(2)));
        return ModelFile.read(current);
    }

    /** Resuming {@code checkpoint} ends with the uninterrupted 4-epoch run's weights. */
    private void assertResumesToTheUninterruptedModel(Path checkpoint) {
        Map<String, float[]> whole = train(config(4), null, null);
        try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, 999)) {
            new Trainer(ops, config(4), null).train(m, data(), CheckpointFile.resume(checkpoint, RUN, DATA));
            assertSameWeights(whole, TrainedModel.weightsOf(m));
        }
    }

    @Test
    void aVersion1CheckpointResumesLikeTheCurrentFormat() {
        ModelFile.Loaded current = checkpointAfterEpoch2();
        // Rewritten in the layout of format 1: the pretraining fields and tensors at the top level.
        ObjectNode header = new ObjectMapper().createObjectNode().put("kind", "rnnclust-checkpoint");
        current.header().get("sections").get("pretraining").fields()
                .forEachRemaining(f -> header.set(f.getKey(), f.getValue()));
        header.set("run", RUN);
        java.util.List<ModelFile.Tensor> tensors = new java.util.ArrayList<>();
        for (ModelFile.Tensor t : current.tensors().values()) {
            tensors.add(new ModelFile.Tensor(t.name().substring("pretraining/".length()), t.shape(), t.data()));
        }
        Path legacy = tmp.resolve("v1.ckpt");
        ModelFile.write(legacy, header, tensors);
        assertResumesToTheUninterruptedModel(legacy);
    }

    @Test
    void aVersion2CheckpointResumesThoughItsDataCannotBeChecked() {
        ModelFile.Loaded current = checkpointAfterEpoch2();
        // Format 2 had no data record (other data would go unnoticed) and stopped only between epochs.
        ObjectNode header = ((ObjectNode) current.header()).deepCopy();
        header.remove("data");
        header.put("checkpoint_format", 2);
        java.util.List<ModelFile.Tensor> tensors = java.util.List.copyOf(current.tensors().values());
        Path v2 = tmp.resolve("v2.ckpt");
        ModelFile.write(v2, header, tensors);
        assertResumesToTheUninterruptedModel(v2);
        // Format 3 always records its data: one without is damaged.
        header.put("checkpoint_format", 3);
        Path damaged = tmp.resolve("v3-no-data.ckpt");
        ModelFile.write(damaged, header, tensors);
        org.rnnclust.InputException e = assertThrows(org.rnnclust.InputException.class,
                () -> CheckpointFile.resume(damaged, RUN, DATA));
        assertTrue(e.getMessage().contains("records nothing of its training data"), e.getMessage());
    }
}
