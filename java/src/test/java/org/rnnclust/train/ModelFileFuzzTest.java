package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.fuzz.FuzzHarness;
import org.rnnclust.fuzz.FuzzHarness.Input;
import org.rnnclust.fuzz.Mutation;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.ModelFileBytes;
import org.rnnclust.io.ModelSignatures;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * Fuzzing of the model file and the checkpoint: valid files broken at the byte level (then the
 * checksum no longer matches and loading must say so), and files edited at the level of the
 * format and sealed again with a correct checksum (a header field set to an absurd value, a
 * tensor dropped or filled with NaN), which only the model's own validation can refuse. A file
 * that loads is then used: a model embeds a few series, a checkpoint is restored into the network
 * it was made for, so "loads" means "is safe to use". Bounds and settings as in
 * {@link FuzzHarness}; tries as in ReaderFuzzTest.
 */
class ModelFileFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static CpuOps ops;
    private static final List<Seed> MODELS = new ArrayList<>();
    private static final List<Seed> CHECKPOINTS = new ArrayList<>();
    /** The same models and checkpoints signed with a key made for the run, and that key's verifier. */
    private static final List<Seed> SIGNED_MODELS = new ArrayList<>();
    private static final List<Seed> SIGNED_CHECKPOINTS = new ArrayList<>();
    private static ModelSignatures.Verifier verifier;

    /** A valid file's bytes and the architecture it was written for. */
    record Seed(byte[] bytes, AutoencoderSpec spec) {
        @Override
        public String toString() {
            return spec + " (" + bytes.length + " bytes)";
        }
    }

    @BeforeAll
    static void makeSeeds() throws IOException {
        dir = Files.createTempDirectory("rnnclust-fuzz-model-");
        ops = new CpuOps(1);
        ModelSignatures.generate(dir);
        ModelSignatures.Signer signer = ModelSignatures.signer(dir.resolve(ModelSignatures.PRIVATE_FILE));
        verifier = ModelSignatures.verifier(dir.resolve(ModelSignatures.PUBLIC_FILE));
        Dataset cbf = Cbf.generate(6, 12, 3);
        AutoencoderSpec[] specs = {
            new AutoencoderSpec(CellType.LSTM, 1, 3, 1, false, 2),
            new AutoencoderSpec(CellType.GRU, 1, 4, 2, true, 3),
            new AutoencoderSpec(CellType.RNN, 1, 2, 1, false, 2),
            new AutoencoderSpec(CellType.GRU, 1, 3, 3, false, 2, List.of(1, 2, 4)),  // a "dilations" field to fuzz
        };
        PreprocessOptions[] preps = {
            PreprocessOptions.defaults(),
            new PreprocessOptions(Normalization.STANDARDIZE, 3, MissingValues.INTERPOLATE, LengthPolicy.RESAMPLE, 10),
            new PreprocessOptions(Normalization.MINMAX, 0, MissingValues.REFUSE, LengthPolicy.PAD, 0),
            PreprocessOptions.defaults(),
        };
        for (int i = 0; i < specs.length; i++) {
            Preprocessor prep = Preprocessor.fit(preps[i], cbf);
            try (SequenceAutoencoder net = new SequenceAutoencoder(ops, specs[i], i);
                 Adam adam = new Adam(ops, net.parameters(), 1e-3, 0)) {
                float[] centroids = new float[2 * specs[i].latent()];
                for (int k = 0; k < centroids.length; k++) centroids[k] = k * 0.25f - 0.5f;
                ObjectNode training = JSON.createObjectNode().put("epochs", 1).put("seed", i);
                TrainedModel model = new TrainedModel(specs[i], prep, centroids, 2, TrainedModel.weightsOf(net),
                        List.of("1", "2", "3"), training);
                Path m = dir.resolve("seed.rnnclust");
                model.save(m);
                MODELS.add(new Seed(Files.readAllBytes(m), specs[i]));
                model.save(m, signer);
                SIGNED_MODELS.add(new Seed(Files.readAllBytes(m), specs[i]));
                Path c = dir.resolve("seed.ckpt");
                List<String> names = List.copyOf(net.namedParameters().keySet());
                CheckpointFile.start(c, training, TrainerTest.DATA).save(CheckpointFile.PRETRAINING, CheckpointFile.loopSection(
                        // One seed stopped within an epoch, so that its position is fuzzed too.
                        new TrainingLoop.Progress(2, 3, 0.5, 0, List.of(0.9, 0.5),
                                i == 1 ? new TrainingLoop.EpochPosition(2, 1.5, 3, 0.7) : null),
                        net.namedParameters(), names, adam));
                CHECKPOINTS.add(new Seed(Files.readAllBytes(c), specs[i]));
                CheckpointFile.start(c, training, TrainerTest.DATA).signedBy(signer).save(CheckpointFile.PRETRAINING,
                        CheckpointFile.loopSection(new TrainingLoop.Progress(2, 3, 0.5, 0, List.of(0.9, 0.5), null),
                                net.namedParameters(), names, adam));
                SIGNED_CHECKPOINTS.add(new Seed(Files.readAllBytes(c), specs[i]));
            }
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        ops.close();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    /**
     * An edit at the level of the format, resealed with a valid checksum: {@code target} picks a
     * header value (or, when {@code onTensor}, a tensor), {@code value} what it becomes.
     */
    record Edit(boolean onTensor, int target, int value) {
        static final List<String> VALUES = List.of("0", "-1", "1", "2147483647", "1000000000", "-2147483648",
                "1e308", "\"NaN\"", "\"Infinity\"", "-0.5", "3.5", "null", "true", "\"\"", "\"lstm\"", "\"resample\"",
                "\"pad\"", "\"rnnclust-model\"", "\"rnnclust-checkpoint\"", "[]", "{}", "[1e300]", "[0]", "[-1, 2]",
                "\"x\"", "4096", "(delete)");

        byte[] apply(byte[] valid) {
            try {
                Path in = dir.resolve("edit-in");
                Files.write(in, valid);
                ModelFile.Loaded loaded = ModelFile.read(in);
                ObjectNode header = loaded.header().deepCopy();
                List<ModelFile.Tensor> tensors = new ArrayList<>(loaded.tensors().values());
                if (onTensor) {
                    int i = Math.floorMod(target, tensors.size());
                    ModelFile.Tensor t = tensors.get(i);
                    float[] data = t.data().clone();
                    switch (Math.floorMod(value, 4)) {
                        case 0 -> tensors.remove(i);
                        case 1 -> tensors.set(i, new ModelFile.Tensor(t.name(), new int[] {data.length + 1},
                                java.util.Arrays.copyOf(data, data.length + 1)));
                        case 2 -> {
                            if (data.length > 0) data[Math.floorMod(target * 31 + value, data.length)] = Float.NaN;
                            tensors.set(i, new ModelFile.Tensor(t.name(), t.shape(), data));
                        }
                        default -> {
                            java.util.Arrays.fill(data, value % 8 == 3 ? Float.POSITIVE_INFINITY : 3e38f);
                            tensors.set(i, new ModelFile.Tensor(t.name(), t.shape(), data));
                        }
                    }
                } else {
                    List<JsonNode[]> slots = new ArrayList<>();  // {parent, child} pairs in document order
                    collect(header, slots);
                    JsonNode[] slot = slots.get(Math.floorMod(target, slots.size()));
                    String v = VALUES.get(Math.floorMod(value, VALUES.size()));
                    replace(slot[0], slot[1], v.equals("(delete)") ? null : JSON.readTree(v));
                }
                return ModelFileBytes.encode(header, tensors);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void collect(JsonNode node, List<JsonNode[]> slots) {
            node.forEach(child -> {
                slots.add(new JsonNode[] {node, child});
                collect(child, slots);
            });
        }

        private static void replace(JsonNode parent, JsonNode child, JsonNode with) {
            if (parent instanceof ObjectNode o) {
                var names = o.fieldNames();
                while (names.hasNext()) {
                    String name = names.next();
                    if (o.get(name) == child) {
                        if (with == null) o.remove(name); else o.set(name, with);
                        return;
                    }
                }
            } else if (parent instanceof ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i) == child) {
                        if (with == null) a.remove(i); else a.set(i, with);
                        return;
                    }
                }
            }
        }

        @Override
        public String toString() {
            return (onTensor ? "tensor " : "header value ") + target + " := " + value;
        }
    }

    /** One or two edits; a third of them on a tensor, the rest on a header value. */
    static List<Edit> edits(SplittableRandom r) {
        int n = r.nextInt(1, 3);
        List<Edit> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Edit(r.nextInt(3) == 0, FuzzHarness.between(r, 0, 400), FuzzHarness.between(r, 0, 1000)));
        }
        return out;
    }

    @Test void modelBytesFuzz() {
        FuzzHarness.forAll("model-bytes", r -> {
            int seed = r.nextInt(MODELS.size());
            List<Mutation> m = Mutation.some(r);
            return loadModel("model seed " + seed + " mutated by " + m, Mutation.applyAll(m, MODELS.get(seed).bytes));
        });
    }

    @Test void modelEditFuzz() {
        FuzzHarness.forAll("model-edit", r -> {
            int seed = r.nextInt(MODELS.size());
            List<Edit> edits = edits(r);
            byte[] bytes = MODELS.get(seed).bytes;
            for (Edit e : edits) bytes = e.apply(bytes);
            return loadModel("model seed " + seed + " edited by " + edits, bytes);
        });
    }

    @Test void checkpointBytesFuzz() {
        FuzzHarness.forAll("ckpt-bytes", r -> {
            Seed seed = CHECKPOINTS.get(r.nextInt(CHECKPOINTS.size()));
            List<Mutation> m = Mutation.some(r);
            return loadCheckpoint("checkpoint " + seed + " mutated by " + m, Mutation.applyAll(m, seed.bytes), seed.spec);
        });
    }

    @Test void checkpointEditFuzz() {
        FuzzHarness.forAll("ckpt-edit", r -> {
            Seed seed = CHECKPOINTS.get(r.nextInt(CHECKPOINTS.size()));
            List<Edit> edits = edits(r);
            byte[] bytes = seed.bytes;
            for (Edit e : edits) bytes = e.apply(bytes);
            return loadCheckpoint("checkpoint " + seed + " edited by " + edits, bytes, seed.spec);
        });
    }

    /**
     * Signed models and checkpoints, read with the key: every mutation that changes a byte, the
     * signature block's included, must be refused (a changed file that loads fails the property);
     * one that changes nothing loads.
     */
    @Test void signedModelBytesFuzz() {
        FuzzHarness.forAll("signed-bytes", r -> {
            boolean checkpoint = r.nextBoolean();
            List<Seed> seeds = checkpoint ? SIGNED_CHECKPOINTS : SIGNED_MODELS;
            int seed = r.nextInt(seeds.size());
            List<Mutation> m = Mutation.some(r);
            byte[] bytes = Mutation.applyAll(m, seeds.get(seed).bytes);
            boolean changed = !java.util.Arrays.equals(bytes, seeds.get(seed).bytes);
            Path file = write(checkpoint ? "signed.ckpt" : "signed.rnnclust", bytes);
            return new Input((checkpoint ? "signed checkpoint " : "signed model ") + seed + " mutated by " + m, bytes,
                    file.getFileName().toString(), bytes.length, () -> {
                        Object loaded = checkpoint
                                ? CheckpointFile.resume(file, JSON.createObjectNode().put("epochs", 1).put("seed", seed),
                                        TrainerTest.DATA, verifier)
                                : TrainedModel.load(file, verifier);
                        if (changed) throw new AssertionError("a changed signed file loaded with the key");
                        return loaded;
                    });
        });
    }

    /**
     * Loads the model and, when it loads, embeds a few series with it as `rnnclust embed` would.
     * Only loading is held to the allocation bound: embedding does the work the model's settings
     * ask for (a valid model may resample every series to 4,096 steps), which the file's size does
     * not measure; it must still end in a result or an InputException, in time.
     */
    private static Input loadModel(String description, byte[] bytes) {
        Path file = write("model.rnnclust", bytes);
        Dataset data = Cbf.generate(3, 9, 11);
        return new Input(description, bytes, "model.rnnclust", bytes.length, () -> TrainedModel.load(file), loaded -> {
            TrainedModel model = (TrainedModel) loaded;
            if (model.spec().channels() != data.channels()) return model;
            PaddedSequences padded = PaddedSequences.of(model.preprocessor().apply(data));
            try (SequenceAutoencoder net = model.instantiate(ops)) {
                return Trainer.embed(ops, net, padded, 2);
            }
        });
    }

    /** Reads the checkpoint and restores it into the network it was written for, as `train --resume` does. */
    private static Input loadCheckpoint(String description, byte[] bytes, AutoencoderSpec spec) {
        Path file = write("last.ckpt", bytes);
        return new Input(description, bytes, "last.ckpt", bytes.length, () -> {
            try (SequenceAutoencoder net = new SequenceAutoencoder(ops, spec, 0);
                 Adam adam = new Adam(ops, net.parameters(), 1e-3, 0)) {
                // As `train --resume` does: the run's settings must match, then the sections load.
                CheckpointFile checkpoint = CheckpointFile.resume(file, JSON.createObjectNode(), TrainerTest.DATA);
                CheckpointFile.Section s = checkpoint.section(CheckpointFile.PRETRAINING);
                if (s == null) throw new org.rnnclust.InputException(file + ": no pretraining section");
                return checkpoint.restoreLoop(CheckpointFile.PRETRAINING, s, net.namedParameters(),
                        List.copyOf(net.namedParameters().keySet()), adam, 5);
            }
        });
    }

    private static Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
