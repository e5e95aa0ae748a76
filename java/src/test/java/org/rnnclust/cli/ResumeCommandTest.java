package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.gen.SyntheticControl;

/**
 * {@code train --resume} through the command line: a checkpoint continues only the run it was made
 * by (the same data, preprocessed the same way), a refusal is one line naming what differs (exit 2),
 * and a resume may raise the epoch limit.
 */
class ResumeCommandTest {
    @TempDir Path tmp;
    Path cbf;
    Path run;

    /** The flags of the first run, after {@code train --data FILE}. */
    static final List<String> FLAGS = List.of("--epochs", "2", "--hidden", "5", "--latent", "3", "--batch", "4",
            "--patience", "0", "--refine", "none", "--device", "cpu", "--seed", "3");

    @BeforeEach
    void firstRun() throws IOException {
        cbf = TrainCommandTest.writeUcr(Cbf.generate(6, 24, 1), tmp.resolve("cbf.tsv"));
        run = tmp.resolve("run");
        CliRun first = train(cbf, "--out", run, FLAGS);
        assertEquals(0, first.exitCode(), first.err());
        Files.delete(run.resolve("model.rnnclust"));  // as a run killed before its end leaves it
    }

    static CliRun train(Path data, String dirFlag, Path dir, List<String> flags, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--representation", "autoencoder", "--data", data.toString(), dirFlag, dir.toString()));
        args.addAll(flags);
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(new String[0]));
    }

    /** FLAGS with {@code flag}'s value replaced (or the flag added). */
    static List<String> with(String flag, String value) {
        List<String> out = new ArrayList<>(FLAGS);
        int i = out.indexOf(flag);
        if (i >= 0) {
            out.set(i + 1, value);
        } else {
            out.add(flag);
            out.add(value);
        }
        return out;
    }

    private void assertRefused(CliRun r, String... expected) {
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        for (String e : expected) assertTrue(r.err().contains(e), "missing '" + e + "' in: " + r.err());
        assertFalse(Files.exists(run.resolve("model.rnnclust")), "a refused resume wrote a model");
    }

    @Test
    void otherDataOfAnotherShapeIsRefusedNamingTheShapes() throws IOException {
        Path sc = TrainCommandTest.writeUcr(SyntheticControl.generate(3, 30, 1), tmp.resolve("sc.tsv"));
        assertRefused(train(sc, "--resume", run, FLAGS), "18 sequences", "24 steps", "this run has 18", "30 steps");
    }

    @Test
    void otherDataOfTheSameShapeIsRefusedByItsDigest() throws IOException {
        Path other = TrainCommandTest.writeUcr(Cbf.generate(6, 24, 2), tmp.resolve("other.tsv"));
        assertRefused(train(other, "--resume", run, FLAGS), "other training data", "SHA-256");
    }

    @Test
    void otherPreprocessingIsRefusedNamingTheFlag() {
        assertRefused(train(cbf, "--resume", run, with("--normalize", "minmax")),
                "normalization", "znorm", "minmax", "--normalize");
        assertRefused(train(cbf, "--resume", run, with("--length", "resample")), "length", "--length");
        assertRefused(train(cbf, "--resume", run, with("--clip-mad", "3")), "outlier clipping", "--clip-mad");
    }

    @Test
    void theSameDataUnderAnotherNameAndCompressedResumes() throws IOException {
        Path gz = tmp.resolve("renamed.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(cbf));
        }
        Path whole = tmp.resolve("whole");
        assertEquals(0, train(cbf, "--out", whole, FLAGS).exitCode());
        CliRun r = train(gz, "--resume", run, FLAGS);
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.rnnclust")),
                Files.readAllBytes(run.resolve("model.rnnclust")));
    }

    @Test
    void raisingTheEpochsContinuesTheRunToTheLongerRunsModel() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun w = train(cbf, "--out", whole, with("--epochs", "4"));
        assertEquals(0, w.exitCode(), w.err());
        CliRun r = train(cbf, "--resume", run, with("--epochs", "4"));
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.rnnclust")),
                Files.readAllBytes(run.resolve("model.rnnclust")));
    }

    @Test
    void loweringTheEpochsBelowTheCheckpointsIsRefused() {
        assertRefused(train(cbf, "--resume", run, with("--epochs", "1")), "2 epochs", "--epochs");
    }

    @Test
    void aRunOfSeveralMembersResumesFromTheirCheckpointsAndRefusesAnotherCount() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun w = train(cbf, "--out", whole, with("--members", "3"));
        assertEquals(0, w.exitCode(), w.err());
        Path members = tmp.resolve("members");
        CliRun first = train(cbf, "--out", members, with("--members", "3"));
        assertEquals(0, first.exitCode(), first.err());
        Path checkpoints = members.resolve("checkpoints");
        for (int m = 0; m < 3; m++) {
            assertTrue(Files.isRegularFile(checkpoints.resolve("last.member-" + m + ".ckpt")), "member " + m);
        }
        // As a run killed while member 2 had not yet trained leaves it.
        Files.delete(members.resolve("model.rnnclust"));
        Files.delete(checkpoints.resolve("last.member-2.ckpt"));
        CliRun other = train(cbf, "--resume", members, with("--members", "2"));
        assertEquals(2, other.exitCode(), other.err());
        assertTrue(other.err().contains("members"), other.err());
        CliRun r = train(cbf, "--resume", members, with("--members", "3"));
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.rnnclust")),
                Files.readAllBytes(members.resolve("model.rnnclust")));
        String header = org.rnnclust.io.ModelFile.read(members.resolve("model.rnnclust")).header().toString();
        assertTrue(header.contains("\"members\":3"), header);
    }

    @Test
    void aCheckpointResumesOnlyInTheModeItWasMadeIn() throws IOException {
        assertRefused(train(cbf, "--resume", run, FLAGS, "--deterministic"), "deterministic", "first run");
        Path det = tmp.resolve("det");
        CliRun first = train(cbf, "--out", det, FLAGS, "--deterministic");
        assertEquals(0, first.exitCode(), first.err());
        byte[] whole = Files.readAllBytes(det.resolve("model.rnnclust"));
        String header = org.rnnclust.io.ModelFile.read(det.resolve("model.rnnclust")).header().toString();
        assertTrue(header.contains("\"deterministic\":true"), header);
        Files.delete(det.resolve("model.rnnclust"));
        CliRun other = train(cbf, "--resume", det, FLAGS);
        assertEquals(2, other.exitCode(), other.err());
        assertTrue(other.err().contains("made with deterministic = true, this run has none"), other.err());
        CliRun r = train(cbf, "--resume", det, FLAGS, "--deterministic");
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(whole, Files.readAllBytes(det.resolve("model.rnnclust")));
    }
}
