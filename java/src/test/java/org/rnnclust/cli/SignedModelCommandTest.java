package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.ModelKeys;
import org.rnnclust.data.gen.Cbf;

/**
 * keygen, train --sign-key and --verify-key on the commands that read models: a signed model is
 * applied with its key, and with a key an unsigned model, a model signed by another key and a
 * checkpoint signed by another key are refused with exit 2 and one line, writing nothing; a signed
 * autoencoder's checkpoints are signed too, so --resume with the key continues the run.
 */
class SignedModelCommandTest {
    @TempDir Path tmp;
    Path trainFile;
    Path testFile;

    @BeforeEach
    void data() throws IOException {
        trainFile = TrainCommandTest.writeUcr(Cbf.generate(8, 32, 5), tmp.resolve("train.tsv"));
        testFile = TrainCommandTest.writeUcr(Cbf.generate(5, 32, 6), tmp.resolve("test.tsv"));
        assertEquals(0, CliRun.of("keygen", "--out", tmp.resolve("keys").toString()).exitCode());
        assertEquals(0, CliRun.of("keygen", "--out", tmp.resolve("other").toString()).exitCode());
    }

    private String key(String pair, String file) {
        return tmp.resolve(pair).resolve(file).toString();
    }

    private Path train(String name, String... extra) {
        Path out = tmp.resolve(name);
        String[] common = {"train", "--data", trainFile.toString(), "--out", out.toString(), "--reservoir-units", "20",
                "--members", "2", "--seed", "2", "--device", "cpu"};
        String[] args = java.util.Arrays.copyOf(common, common.length + extra.length);
        System.arraycopy(extra, 0, args, common.length, extra.length);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());
        return out;
    }

    @Test
    void aSignedModelIsAppliedWithItsKeyAndOthersAreRefused() throws IOException {
        Path signed = train("signed", "--sign-key", key("keys", "private.pem"));
        Path unsigned = train("unsigned");
        // The same model but for the signature: signing changes no number.
        try (ClusteringModel a = ClusteringModel.load(signed, ModelKeys.verifyingWith(Path.of(key("keys", "public.pem"))));
             ClusteringModel b = ClusteringModel.load(unsigned)) {
            assertEquals(b.parameterCount(), a.parameterCount());
        }
        assertEquals(Files.readString(unsigned.resolve("assignments.csv")), Files.readString(signed.resolve("assignments.csv")));

        for (String command : new String[] {"cluster", "embed", "export"}) {
            String out = tmp.resolve(command + (command.equals("cluster") ? "" : command.equals("embed") ? ".npy" : ".safetensors"))
                    .toString();
            String[] data = command.equals("export") ? new String[0] : new String[] {"--data", testFile.toString()};
            CliRun ok = CliRun.of(args(command, signed, out, data, "--verify-key", key("keys", "public.pem")));
            assertEquals(0, ok.exitCode(), command + ": " + ok.err());
            Files.walk(Path.of(out)).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());

            CliRun otherKey = CliRun.of(args(command, signed, out, data, "--verify-key", key("other", "public.pem")));
            assertRefused(otherKey, "does not verify", out, command);
            CliRun notSigned = CliRun.of(args(command, unsigned, out, data, "--verify-key", key("keys", "public.pem")));
            assertRefused(notSigned, "not signed", out, command);
            CliRun badKey = CliRun.of(args(command, signed, out, data, "--verify-key", trainFile.toString()));
            assertRefused(badKey, "no '-----BEGIN PUBLIC KEY-----' block", out, command);
            // Without a key, both load as before.
            assertEquals(0, CliRun.of(args(command, unsigned, out, data)).exitCode(), command);
        }
    }

    private static String[] args(String command, Path model, String out, String[] data, String... more) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(command, "--model", model.toString(),
                "--out", out));
        a.addAll(java.util.List.of(data));
        if (!command.equals("export")) a.addAll(java.util.List.of("--device", "cpu"));
        a.addAll(java.util.List.of(more));
        return a.toArray(String[]::new);
    }

    private static void assertRefused(CliRun run, String why, String out, String what) {
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), what + ": " + run.err());
        assertEquals(1, run.errLines(), what + ": " + run.err());
        assertTrue(run.err().contains(why), what + ": " + run.err());
        assertTrue(!Files.exists(Path.of(out)), what + " wrote " + out);
    }

    @Test
    void aSignedAutoencodersCheckpointsAreSignedAndResumeChecksThem() throws IOException {
        Path run = tmp.resolve("ae");
        String[] flags = {"train", "--representation", "autoencoder", "--data", trainFile.toString(), "--hidden", "6",
                "--latent", "3", "--epochs", "2", "--batch", "8", "--seed", "1", "--device", "cpu",
                "--sign-key", key("keys", "private.pem")};
        String[] first = java.util.Arrays.copyOf(flags, flags.length + 2);
        first[flags.length] = "--out";
        first[flags.length + 1] = run.toString();
        CliRun trained = CliRun.of(first);
        assertEquals(0, trained.exitCode(), trained.err());
        Path checkpoint = run.resolve("checkpoints").resolve(TrainCommand.CHECKPOINT);
        assertTrue(Files.isRegularFile(checkpoint), "the run keeps its checkpoint");
        byte[] model = Files.readAllBytes(run.resolve(ClusteringModel.FILE));
        ClusteringModel.load(run, ModelKeys.verifyingWith(Path.of(key("keys", "public.pem")))).close();

        String[] resumeWith = java.util.Arrays.copyOf(flags, flags.length + 4);
        resumeWith[flags.length] = "--resume";
        resumeWith[flags.length + 1] = run.toString();
        resumeWith[flags.length + 2] = "--verify-key";
        resumeWith[flags.length + 3] = key("other", "public.pem");
        CliRun refused = CliRun.of(resumeWith);
        assertEquals(Main.EXIT_BAD_INPUT, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains(checkpoint + ": the signature does not verify"), refused.err());
        assertArrayEquals(model, Files.readAllBytes(run.resolve(ClusteringModel.FILE)), "nothing rewritten");

        resumeWith[flags.length + 3] = key("keys", "public.pem");
        CliRun resumed = CliRun.of(resumeWith);
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertArrayEquals(model, Files.readAllBytes(run.resolve(ClusteringModel.FILE)),
                "the finished run resumed gives the same signed model");
    }
}
