package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The launch table {@link SpectralKernels} against kernels/spectral.cu, without a GPU (as RnnKernelsTest for rnn.cu). */
@Tag("gpu")
class SpectralKernelsTest {
    private static final Pattern KERNEL = Pattern.compile("RNNCLUST_KERNEL\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");

    @Test
    void launchTableMatchesTheKernelSource() throws IOException {
        String src = Files.readString(Path.of("kernels/spectral.cu"));
        Map<String, String> source = new LinkedHashMap<>();
        Matcher m = KERNEL.matcher(src);
        while (m.find()) {
            source.put(m.group(1), Arrays.stream(m.group(2).split(",")).map(RnnKernelsTest::letter)
                    .map(String::valueOf).collect(Collectors.joining()));
        }
        Map<String, String> table = new LinkedHashMap<>();
        for (SpectralKernels k : SpectralKernels.values()) table.put(k.name(), k.signature);
        assertEquals(table.keySet(), source.keySet(), "kernels in spectral.cu vs SpectralKernels");
        for (String k : source.keySet()) assertEquals(source.get(k), table.get(k), "signature of " + k);
    }

    /** The list lengths CudaNearestNeighbours asks for: a margin past m, within the other points, never below m. */
    @Test
    void listLengthsKeepAMarginWithinTheOtherPoints() {
        assertEquals(18, CudaNearestNeighbours.listLength(20000, 10));
        assertEquals(150, CudaNearestNeighbours.listLength(20000, 100));
        assertEquals(11, CudaNearestNeighbours.listLength(12, 10), "no more than the 11 other points");
        assertEquals(10, CudaNearestNeighbours.listLength(5, 10), "m slots even past the others");
        assertEquals(3, CudaNearestNeighbours.listLength(1, 3));
    }

    /** Centring moves the points, not their differences (up to the float rounding of each coordinate). */
    @Test
    void centringKeepsDifferences() {
        float[] x = {1e4f, 1, 1e4f + 2, 3, 1e4f + 4, 8};
        float[] c = CudaNearestNeighbours.centred(x, 3, 2);
        assertEquals(0.0, c[0] + c[2] + c[4], 1e-3);
        assertEquals(x[2] - x[0], c[2] - c[0], 1e-3);
        assertEquals(x[5] - x[1], c[5] - c[1], 1e-6);
    }
}
