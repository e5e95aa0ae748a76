package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.rnnclust.data.read.TestFiles.assertSeries;
import static org.rnnclust.data.read.TestFiles.fails;
import static org.rnnclust.data.read.TestFiles.labelOf;
import static org.rnnclust.data.read.TestFiles.text;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.data.Dataset;

class TsReaderTest {
    @TempDir Path dir;

    private static final String MULTI = """
            # Bewegungsdaten – Größe: ünïcödé comment
            @problemName Motions
            @timeStamps false
            @missing true
            @univariate false
            @dimensions 2
            @equalLength true
            @seriesLength 3
            @classLabel true Walk Run
            @data
            1,2,3:0.5,?,-1e-2:Run
            4,5,6:7,8,9:Walk
            """;

    @ParameterizedTest
    @ValueSource(strings = {"m.ts", "m.ts.gz"})
    void multivariateIsTimeMajorWithDeclaredLabelOrder(String name) {
        Dataset d = Readers.read(text(dir, name, MULTI), null);
        assertEquals(2, d.size());
        assertEquals(2, d.channels());
        assertEquals(3, d.length(0));
        assertSeries(d, 0, 1f, 0.5f, 2f, Float.NaN, 3f, -1e-2f);
        assertSeries(d, 1, 4f, 7f, 5f, 8f, 6f, 9f);
        assertEquals(List.of("Walk", "Run"), d.labelNames());
        assertEquals("Run", labelOf(d, 0));
    }

    @Test
    void unequalLengthUnivariateUnlabelledWithCaseInsensitiveKeys() {
        Path f = text(dir, "u.ts", """
                @PROBLEMNAME x
                @Univariate TRUE
                @equallength False
                @ClassLabel false
                @data
                1,2,3

                4
                """);
        Dataset d = Readers.read(f, null);
        assertFalse(d.hasLabels());
        assertEquals(1, d.channels());
        assertSeries(d, 0, 1f, 2f, 3f);
        assertSeries(d, 1, 4f);
    }

    @Test
    void dimensionsInferredFromFirstCase() {
        Dataset d = Readers.read(text(dir, "i.ts", "@classLabel true a\n@data\n1,2:3,4:a\n"), null);
        assertEquals(2, d.channels());
        assertSeries(d, 0, 1f, 3f, 2f, 4f);
    }

    @Test
    void dataBeforeDataLine() {
        fails(text(dir, "x.ts", "@problemName x\n1,2,3\n@data\n"), "line 2", "data before the @data line");
    }

    @Test
    void missingDataLine() {
        fails(text(dir, "x.ts", "# only comments\n@problemName x\n"), "no @data");
    }

    @Test
    void unknownHeaderKey() {
        fails(text(dir, "x.ts", "@problemName x\n@colour blue\n@data\n1\n"), "line 2", "unknown header key '@colour'");
    }

    @Test
    void malformedHeaderValue() {
        fails(text(dir, "x.ts", "@univariate maybe\n@data\n1\n"), "line 1", "true or false");
        fails(text(dir, "y.ts", "@seriesLength -3\n@data\n1\n"), "line 1", "positive integer");
    }

    @Test
    void timeStampsAndRegressionRefused() {
        fails(text(dir, "t.ts", "@timeStamps true\n@data\n"), "line 1", "@timeStamps true is not supported");
        fails(text(dir, "r.ts", "@targetLabel true\n@data\n1,2:0.5\n"), "line 1", "regression");
    }

    @Test
    void undeclaredLabel() {
        fails(text(dir, "x.ts", "@classLabel true a b\n@data\n1,2:a\n3,4:c\n"), "line 4", "'c'", "not among the declared");
    }

    @Test
    void wrongNumberOfDimensions() {
        fails(text(dir, "x.ts", "@dimensions 2\n@classLabel true a\n@data\n1,2:3,4:a\n1,2:a\n"),
                "line 5", "expected 2 dimensions");
    }

    @Test
    void dimensionsOfUnequalLength() {
        fails(text(dir, "x.ts", "@dimensions 2\n@data\n1,2:3\n"), "line 3", "dimension 2 has 1");
    }

    @Test
    void lengthDiffersFromSeriesLength() {
        fails(text(dir, "x.ts", "@equalLength true\n@seriesLength 2\n@data\n1,2\n1,2,3\n"), "line 5", "@seriesLength 2");
        fails(text(dir, "y.ts", "@equalLength true\n@data\n1,2\n1,2,3\n"), "line 4", "first case");
    }

    @Test
    void nonNumericValue() {
        fails(text(dir, "x.ts", "@dimensions 2\n@data\n1,2:3,x4\n"), "line 3", "dimension 2, value 2", "not a number", "'x4'");
    }

    @Test
    void noCases() {
        fails(text(dir, "x.ts", "@problemName x\n@data\n\n"), "no data");
    }
}
