package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;
import org.rnnclust.io.Npz;

/**
 * {@code rnnclust rnn} against PyTorch's nn.LSTM/GRU/RNN outputs (fixtures made by
 * make_rnn_fixtures.py): the state_dict goes in as numpy.savez writes it, the output comes out as .npy.
 */
class RnnCommandTest {
    @TempDir Path tmp;

    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = RnnCommandTest.class.getResourceAsStream("/fixtures/rnn/cases.json")) {
            List<JsonNode> out = new ArrayList<>();
            // Cases with a given initial state need h0, which the CLI does not take; dilated stacks
            // are no PyTorch module, which is what the command runs.
            new ObjectMapper().readTree(in).get("cases").forEach(c -> {
                if (!c.get("initial_state").asBoolean() && !c.has("dilations")) out.add(c);
            });
            return out.stream();
        }
    }

    /**
     * The fixture as a file (the command reads files): the resource itself under Maven, a temporary
     * copy where the tests run from a jar (ci/gpu-check.sh on the GPU machine).
     */
    static Path fixture(String name) {
        java.net.URL url = RnnCommandTest.class.getResource("/fixtures/rnn/" + name + ".npz");
        try {
            if ("file".equals(url.getProtocol())) return Path.of(url.toURI());
            Path copy = java.nio.file.Files.createTempFile("rnnclust-fixture-" + name, ".npz");
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (java.net.URISyntaxException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputEqualsPyTorch(JsonNode c) {
        outputEqualsPyTorchOn(c, "cpu");
    }

    /** The same on the GPU (skipped where there is none; ci/gpu-check.sh runs it). */
    @Tag("gpu")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputEqualsPyTorchOnCuda(JsonNode c) {
        org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu("rnn --device cuda against PyTorch");
        outputEqualsPyTorchOn(c, "cuda");
    }

    void outputEqualsPyTorchOn(JsonNode c, String device) {
        String name = c.get("name").asText();
        Map<String, NpyArray> f = Npz.read(fixture(name));
        Map<String, NpyArray> weights = new LinkedHashMap<>();
        f.forEach((k, v) -> {
            if (k.startsWith("param.")) weights.put(k.substring("param.".length()), v);
        });
        Path w = tmp.resolve(name + ".npz");
        Npz.write(w, weights);
        Path x = tmp.resolve("x.npy");
        Npy.write(x, f.get("x"));
        Path lengths = tmp.resolve("lengths.npy");
        Npy.write(lengths, f.get("lengths"));
        Path y = tmp.resolve("y.npy");
        List<String> args = new ArrayList<>(List.of("rnn", "--cell", c.get("cell").asText(), "--weights", w.toString(),
                "--input", x.toString(), "--lengths", lengths.toString(), "--output", y.toString(), "--device", device));
        if (c.get("bidirectional").asBoolean()) args.add("--bidirectional");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        NpyArray got = Npy.read(y);
        NpyArray expected = f.get("out");
        assertArrayEquals(expected.shape(), got.shape());
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.data().length; i++) {
            num += Math.pow(got.data()[i] - expected.data()[i], 2);
            den += Math.pow(expected.data()[i], 2);
        }
        assertTrue(Math.sqrt(num / den) <= 1e-5, name + " on " + device + ": relative error " + Math.sqrt(num / den));
    }

    @Test
    void wrongCellIsOneLine() throws IOException {
        Map<String, NpyArray> f = Npz.read(fixture("lstm_i3_h5"));
        Map<String, NpyArray> weights = new LinkedHashMap<>();
        f.forEach((k, v) -> {
            if (k.startsWith("param.")) weights.put(k.substring(6), v);
        });
        Path w = tmp.resolve("w.npz");
        Npz.write(w, weights);
        Path x = tmp.resolve("x.npy");
        Npy.write(x, f.get("x"));
        CliRun run = CliRun.of("rnn", "--cell", "gru", "--weights", w.toString(), "--input", x.toString(),
                "--output", tmp.resolve("y.npy").toString());
        assertEquals(2, run.exitCode());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("is the cell right?") && run.err().contains("(flag: --cell)"), run.err());
        assertTrue(Files.notExists(tmp.resolve("y.npy")));
    }
}
