package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.Npy;
import org.rnnclust.io.Safetensors;

/**
 * {@code rnnclust export} against PyTorch: the oracle is fixtures/export/make_export_fixtures.py,
 * which trained these very models (same flags, deterministic mode), exported them, loaded the
 * export into torch.nn.LSTM/GRU/RNN and torch.nn.Linear and saved PyTorch's embeddings. Here the
 * same models are trained again: their exports must be the script's files byte for byte (so that
 * PyTorch's verdict applies to them), and rnnclust's embeddings must be PyTorch's to 1e-5.
 */
class ExportRoundTripTest {
    @TempDir Path tmp;

    /** make_export_fixtures.py's flags. */
    static final List<String> TRAIN = List.of("--representation", "autoencoder", "--hidden", "5", "--latent", "3",
            "--layers", "2", "--epochs", "2", "--batch", "4", "--patience", "0", "--refine", "none", "--normalize",
            "none", "--deterministic", "--seed", "7");

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "lstm-bi", "gru", "gru-bi", "rnn", "rnn-bi"})
    void theExportLoadsIntoPytorchAndGivesRnnclustsEmbeddings(String name) throws IOException {
        Path data = tmp.resolve("cbf.tsv");
        assertEquals(0, CliRun.of("generate", "cbf", "--n", "12", "--length", "16", "--seed", "1", "--out",
                data.toString()).exitCode());
        assertArrayEquals(fixture("cbf.tsv"), Files.readAllBytes(data), "generate wrote other data than the fixtures'");
        Path model = tmp.resolve("model");
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--cell", name.replace("-bi", "")));
        if (name.endsWith("-bi")) args.add("--bidirectional");
        args.addAll(TRAIN);
        args.addAll(List.of("--out", model.toString()));
        CliRun trained = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, trained.exitCode(), trained.err());

        for (String ext : new String[] {".safetensors", ".npz"}) {
            Path out = tmp.resolve(name + ext);
            CliRun exported = CliRun.of("export", "--model", model.toString(), "--out", out.toString());
            assertEquals(0, exported.exitCode(), exported.err());
            assertArrayEquals(fixture(name + ext), Files.readAllBytes(out), name + ext + " differs from the export "
                    + "PyTorch was checked on (regenerate the fixtures if the model or the format changed on purpose)");
        }

        Path embeddings = tmp.resolve("emb.npy");
        CliRun embedded = CliRun.of("embed", "--model", model.toString(), "--data", data.toString(), "--out",
                embeddings.toString(), "--deterministic");
        assertEquals(0, embedded.exitCode(), embedded.err());
        float[] ours = Npy.read(embeddings).data();
        float[] torch;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/export/" + name + ".torch-embeddings.npy")) {
            torch = Npy.read(in, name).data();
        }
        assertEquals(torch.length, ours.length);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            scale = Math.max(scale, Math.abs(torch[i]));
            worst = Math.max(worst, Math.abs(ours[i] - torch[i]));
        }
        assertTrue(worst <= 1e-5 * scale, name + ": rnnclust and PyTorch differ by " + worst / scale + " (relative)");

        // The safetensors file read back holds the model file's tensors, and rnn --weights runs its encoder.
        Map<String, ModelFile.Tensor> saved = ModelFile.read(model.resolve("model.rnnclust")).tensors();
        Safetensors.Contents read = Safetensors.read(tmp.resolve(name + ".safetensors"));
        assertEquals(saved.keySet(), read.tensors().keySet());
        for (Map.Entry<String, NpyArray> e : read.tensors().entrySet()) {
            ModelFile.Tensor t = saved.get(e.getKey());
            assertArrayEquals(t.shape(), e.getValue().shape(), e.getKey());
            if (!t.isDouble()) assertArrayEquals(t.data(), e.getValue().data(), e.getKey());
        }
        assertTrue(read.metadata().get("rnnclust").contains("\"architecture\""), read.metadata().toString());
    }

    @Test
    void damagedSafetensorsFilesAreRefusedInOneLine() throws IOException {
        byte[] good = fixture("rnn.safetensors");
        List<byte[]> bad = new ArrayList<>();
        bad.add(java.util.Arrays.copyOf(good, 5));                        // shorter than the length field
        bad.add(java.util.Arrays.copyOf(good, good.length - 4));          // data cut short
        byte[] hugeHeader = good.clone();
        hugeHeader[7] = 0x7f;                                              // header length beyond the file
        bad.add(hugeHeader);
        byte[] notJson = good.clone();
        notJson[8] = '[';
        notJson[9] = '[';
        bad.add(notJson);
        String text = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
        bad.add(text.replaceFirst("\"data_offsets\":\\[0,", "\"data_offsets\":[4,")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));  // a gap before the first tensor
        bad.add(text.replaceFirst("\"F32\"", "\"I64\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (int i = 0; i < bad.size(); i++) {
            Path file = tmp.resolve("bad" + i + ".safetensors");
            Files.write(file, bad.get(i));
            Path out = tmp.resolve("y" + i + ".npy");
            CliRun r = CliRun.of("rnn", "--cell", "rnn", "--weights", file.toString(), "--prefix", "encoder.",
                    "--input", tmp.resolve("absent.npy").toString(), "--output", out.toString());
            assertEquals(2, r.exitCode(), "case " + i + ": " + r.err());
            assertEquals(1, r.errLines(), "case " + i + ": " + r.err());
            assertTrue(r.err().contains(file.toString()), "case " + i + ": " + r.err());
            assertFalse(Files.exists(out));
        }
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = ExportRoundTripTest.class.getResourceAsStream("/fixtures/export/" + name)) {
            assertTrue(in != null, "fixtures/export/" + name + " missing: run make_export_fixtures.py");
            return in.readAllBytes();
        }
    }
}
