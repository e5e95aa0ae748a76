package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;

/**
 * ARFF as the UCR/UEA archive ships it. The oracle is scipy.io.arff.loadarff, whose readings of the
 * fixtures are committed beside them (fixtures/arff/make_arff_fixtures.py); the UEA multivariate
 * file must also read exactly as its .ts twin.
 */
class ArffReaderTest {
    @TempDir Path tmp;

    @Test
    void aUnivariateArffReadsAsScipyReadsIt() throws Exception {
        Dataset d = Readers.read(fixture("uni.arff"), ReadOptions.defaults());
        assertMatchesScipy(d, "uni");
        assertEquals(java.util.List.of("one", "two", "3"), d.labelNames());
    }

    @Test
    void aUeaMultivariateArffReadsAsScipyReadsItAndAsItsTsTwin() throws Exception {
        Dataset arff = Readers.read(fixture("multi.arff"), ReadOptions.defaults());
        assertMatchesScipy(arff, "multi");
        Dataset ts = Readers.read(fixture("multi.ts"), ReadOptions.defaults());
        assertEquals(ts.size(), arff.size());
        assertEquals(ts.channels(), arff.channels());
        assertEquals(ts.labelNames(), arff.labelNames());
        assertArrayEquals(ts.labels(), arff.labels());
        for (int i = 0; i < ts.size(); i++) assertArrayEquals(ts.series(i), arff.series(i), 0f, "instance " + i);
    }

    @Test
    void quotedNamesAndValuesAndCommentsAreRead() throws IOException {
        Path f = write("q.arff", "% comment\n@relation 'a b'\n@attribute 'x 1' numeric\n@attribute x2 INTEGER\n"
                + "@attribute \"class\" {'no way',yes}\n\n@DATA\n1.5, 2,'no way'\n% between\n?,3,yes\n");
        Dataset d = Readers.read(f, ReadOptions.defaults());
        assertEquals(java.util.List.of("no way", "yes"), d.labelNames());
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertArrayEquals(new float[] {1.5f, 2f}, d.series(0), 0f);
        assertTrue(Float.isNaN(d.series(1)[0]));
    }

    @Test
    void malformedFilesAreRefusedInOneLineNamingTheLine() throws IOException {
        String[][] cases = {
                {"@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,z\n", "line 5", "not among"},
                {"@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,2,x\n", "line 5", "expected 2"},
                {"@relation r\n@attribute a string\n@data\nx\n", "line 2", "not supported"},
                {"@relation r\n@attribute a numeric\n@data\n{0 1}\n", "line 4", "sparse"},
                {"@relation r\n@attribute c {x,y}\n@attribute a numeric\n@data\nx,1\n", "line 3", "last attribute"},
                {"@relation r\n@attribute s relational\n@attribute t numeric\n@end s\n@attribute c {x}\n@data\n"
                        + "'1\\n2,3',x\n", "line 7", "channel 2 has 2 values"},
                {"@relation r\n@attribute a numeric\n@data\n'1\n", "line 4", "unterminated"},
                {"@relation r\n@attribute a numeric\n", null, "no @data"},
                {"1,2\n", "line 1", "data before"},
                {"@relation r\n@attribute a numeric\n@data\nabc\n", "line 4", "abc"},
        };
        for (String[] c : cases) {
            Path f = write("bad.arff", c[0]);
            InputException e = assertThrows(InputException.class, () -> Readers.read(f, ReadOptions.defaults()), c[0]);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            if (c[1] != null) assertTrue(e.getMessage().contains(c[1]), c[0] + " → " + e.getMessage());
            assertTrue(e.getMessage().contains(c[2]), c[0] + " → " + e.getMessage());
        }
    }

    private static void assertMatchesScipy(Dataset d, String name) throws IOException {
        NpyArray values = npy(name + ".values.npy");
        NpyArray labels = npy(name + ".labels.npy");
        int n = values.shape()[0];
        int t = values.shape()[1];
        int c = values.shape()[2];
        assertEquals(n, d.size());
        assertEquals(c, d.channels());
        for (int i = 0; i < n; i++) {
            float[] expected = java.util.Arrays.copyOfRange(values.data(), i * t * c, (i + 1) * t * c);
            assertArrayEquals(expected, d.series(i), 0f, "instance " + i);  // NaN equals NaN here
            assertEquals((int) labels.data()[i], d.labels()[i], "label of instance " + i);
        }
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ArffReaderTest.class.getResource("/fixtures/arff/" + name).toURI());
    }

    private static NpyArray npy(String name) throws IOException {
        try (InputStream in = ArffReaderTest.class.getResourceAsStream("/fixtures/arff/" + name)) {
            return Npy.read(in, name);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }
}
