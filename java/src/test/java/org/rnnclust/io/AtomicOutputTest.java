package org.rnnclust.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;

/** An output set is replaced whole: a failure at any step of the commit leaves the old set, byte for byte. */
class AtomicOutputTest {
    @TempDir Path dir;

    @AfterEach
    void noFaults() {
        AtomicOutput.steps = s -> { };
    }

    /** Commits files a, b and model (model last) holding {@code tag}. */
    private void commitSet(String tag) throws IOException {
        try (AtomicOutput out = AtomicOutput.in(dir)) {
            for (String name : List.of("a.csv", "b.json", "model.bin")) {
                Files.writeString(out.file(name), tag + " " + name);
            }
            out.commit();
        }
    }

    /** Every file in the folder (hidden ones included) and its content. */
    private Map<String, String> contents() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().equals(OutputLock.FILE)) continue;
                m.put(p.getFileName().toString(), Files.isDirectory(p) ? "<folder>" : Files.readString(p));
            }
        }
        return m;
    }

    @Test
    void commitsInTheOrderAskedWithTheManifestAroundTheRenames() throws IOException {
        List<String> seen = new ArrayList<>();
        AtomicOutput.steps = seen::add;
        commitSet("new");
        assertEquals(List.of("manifest incomplete", "move a.csv", "move b.json", "move model.bin", "manifest complete"),
                seen, "the model, asked for last, is moved last");
        SetManifest.requireComplete(dir);
        Map<String, String> files = contents();
        assertEquals("new model.bin", files.get("model.bin"));
        assertTrue(files.get(SetManifest.FILE).contains("\"complete\""), files.get(SetManifest.FILE));
        assertTrue(files.get(SetManifest.FILE).contains(SetManifest.sha256(dir.resolve("model.bin"))));
        assertEquals(4, files.size(), "no staging folder left: " + files.keySet());
    }

    @Test
    void aFailureAtAnyStepLeavesTheOldSet() throws IOException {
        commitSet("old");
        Map<String, String> old = contents();
        List<String> steps = new ArrayList<>();
        AtomicOutput.steps = steps::add;
        commitSet("old");  // the same set again, only to list the steps
        assertEquals(5, steps.size());
        for (String failing : steps) {
            AtomicOutput.steps = s -> {
                if (s.equals(failing)) throw new InputException("injected fault at " + s);
            };
            InputException e = assertThrows(InputException.class, () -> commitSet("new"));
            assertTrue(e.getMessage().contains("injected"), e.getMessage());
            assertEquals(old, contents(), "after a fault at '" + failing + "'");
            SetManifest.requireComplete(dir);
        }
        AtomicOutput.steps = s -> { };
        commitSet("new");
        assertEquals("new a.csv", contents().get("a.csv"));
    }

    @Test
    void aFailureInANewSetWithoutAnOldOneLeavesNoFiles() throws IOException {
        AtomicOutput.steps = s -> {
            if (s.equals("move model.bin")) throw new InputException("injected");
        };
        assertThrows(InputException.class, () -> commitSet("new"));
        assertEquals(Map.of(), contents());
    }

    @Test
    void aTargetThatIsAFolderRefusesTheCommitBeforeAnythingIsReplaced() throws IOException {
        commitSet("old");
        Files.delete(dir.resolve("b.json"));
        Files.createDirectory(dir.resolve("b.json"));
        Map<String, String> before = contents();
        InputException e = assertThrows(InputException.class, () -> commitSet("new"));
        assertTrue(e.getMessage().startsWith(dir.resolve("b.json") + ": is a folder"), e.getMessage());
        assertEquals(before, contents(), "a.csv, written before b.json, was not replaced");
    }

    @Test
    void readersRefuseAnInterruptedSetAndFilesOfAnotherRun() throws IOException {
        commitSet("old");
        // What a kill between the renames leaves: the manifest of the new set, still incomplete.
        Files.writeString(dir.resolve(SetManifest.FILE), Files.readString(dir.resolve(SetManifest.FILE))
                .replace("\"complete\"", "\"incomplete\""));
        InputException e = assertThrows(InputException.class, () -> SetManifest.requireComplete(dir));
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        commitSet("old");
        Files.writeString(dir.resolve("a.csv"), "another run's a.csv");
        e = assertThrows(InputException.class, () -> SetManifest.requireComplete(dir));
        assertTrue(e.getMessage().startsWith(dir + ": a.csv is not the one"), e.getMessage());
    }

    @Test
    void aFolderWithoutManifestIsTakenAsItIs() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "written by an earlier version");
        SetManifest.requireComplete(dir);
    }

    @Test
    void claimingAFolderRemovesWhatCrashedRunsLeft() throws IOException {
        Path staging = Files.createDirectories(dir.resolve(".staging-123/.previous"));
        Files.writeString(staging.resolve("model.bin"), "x");
        Files.writeString(dir.resolve(".metrics.json.k3j2.tmp"), "half");
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(checkpoints.resolve(".last.ckpt.9az.tmp"), "half");
        Files.writeString(checkpoints.resolve("last.ckpt"), "kept");
        Files.writeString(dir.resolve("notes.tmp"), "not hidden: the user's");
        try (OutputLock lock = OutputLock.folder(dir)) {
            assertTrue(lock.held());
            assertEquals(Map.of("checkpoints", "<folder>", "notes.tmp", "not hidden: the user's"), contents());
            try (Stream<Path> s = Files.list(checkpoints)) {
                assertEquals(List.of(checkpoints.resolve("last.ckpt")), s.toList());
            }
        }
    }

    @Test
    void aSecondClaimIsRefusedWhileTheFirstHoldsTheFolder() throws IOException {
        try (OutputLock first = OutputLock.folder(dir)) {
            assertTrue(first.held());
            assertEquals(ProcessHandle.current().pid() + "\n",
                    Files.readString(dir.resolve(OutputLock.FILE), StandardCharsets.US_ASCII));
            InputException e = assertThrows(InputException.class, () -> OutputLock.folder(dir));
            assertTrue(e.getMessage().startsWith(dir + ": another rnnclust run (process "
                    + ProcessHandle.current().pid() + ") is writing here"), e.getMessage());
        }
        try (OutputLock again = OutputLock.folder(dir)) {
            assertTrue(again.held(), "released on close");
        }
    }
}
