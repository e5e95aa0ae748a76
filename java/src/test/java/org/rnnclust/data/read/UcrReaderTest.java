package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class UcrReaderTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"x_TRAIN.tsv", "x_TRAIN.tsv.gz"})
    void readsTabSeparatedValuesExactly(String name) {
        Path f = text(dir, name, "2\t0.1\t-1.5e-3\t3.4028235e38\n1\t7\t8\t9\n\n\n");
        Dataset d = Readers.read(f, null);
        assertEquals(2, d.size());
        assertEquals(1, d.channels());
        assertSeries(d, 0, 0.1f, -1.5e-3f, 3.4028235e38f);
        assertSeries(d, 1, 7f, 8f, 9f);
        assertEquals(List.of("1", "2"), d.labelNames());
        assertEquals("2", labelOf(d, 0));
        assertEquals(f.toString(), d.name());
    }

    @Test
    void commaAndWhitespaceSeparators() {
        Dataset comma = Readers.read(text(dir, "c.txt", "1,1.5,2.5\r\n2,3,4\r\n"), null);
        assertSeries(comma, 1, 3f, 4f);
        Dataset spaces = Readers.read(text(dir, "s.txt", "  1.0000000e+00   1.5  2.5\n 2.0000000e+00 3 4\n"), null);
        assertSeries(spaces, 0, 1.5f, 2.5f);
        assertEquals(List.of("1", "2"), spaces.labelNames());
    }

    @Test
    void oldStyleNumericLabelsAreNormalisedAndSortedNumerically() {
        Dataset d = Readers.read(text(dir, "a.tsv",
                "1.0000000e+01\t1\n-1.0000000e+00\t2\n2.0000000e+00\t3\n10\t4\n"), null);
        assertEquals(List.of("-1", "2", "10"), d.labelNames());
        assertEquals("10", labelOf(d, 3));
        assertEquals(labelOf(d, 0), labelOf(d, 3));
    }

    @Test
    void textLabelsKeepFirstAppearanceOrder() {
        Dataset d = Readers.read(text(dir, "a.tsv", "walk\t1\nrun\t2\nwalk\t3\n1\t4\n"), null);
        assertEquals(List.of("walk", "run", "1"), d.labelNames());
    }

    @Test
    void raggedRowsAndTrailingNaNPaddingGiveVariableLengths() {
        Dataset d = Readers.read(text(dir, "v.tsv", "1\t1\t2\t3\tNaN\tNaN\n2\t4\tnan\t6\n1\t7\t?\t\t\n"), null);
        assertSeries(d, 0, 1f, 2f, 3f);
        assertSeries(d, 1, 4f, Float.NaN, 6f);
        assertSeries(d, 2, 7f);
        assertEquals(1, d.minLength());
        assertEquals(3, d.maxLength());
    }

    @Test
    void nonNumericValueNamesLineAndField() {
        Path f = text(dir, "bad.tsv", "1\t1\t2\n1\t3\t4\n2\t5\tabc\n");
        fails(f, "line 3", "field 3", "not a number", "'abc'");
    }

    @Test
    void rowWithOnlyALabelFails() {
        fails(text(dir, "bad.tsv", "1\t1\t2\n2\n"), "line 2", "no values");
    }

    @Test
    void onlyBlankLinesIsNoData() {
        fails(text(dir, "blank.tsv", "\n  \n\n"), "no data");
    }

    @Test
    void hugeValueIsOutOfRange() {
        fails(text(dir, "big.tsv", "1\t1e39\n"), "line 1", "field 2", "out of float32 range");
    }
}
