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

class CsvReaderTest {
    @TempDir Path dir;

    private static ReadOptions label(String column, Boolean header) {
        return new ReadOptions(Format.AUTO, null, column, header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"d.csv", "d.csv.gz"})
    void noHeaderLastColumnLabel(String name) {
        Path f = text(dir, name, "0.25,1e-7,-3,10\n4,NA,,2\n7,8,?,10\n");
        Dataset d = Readers.read(f, label("-1", null));
        assertEquals(3, d.size());
        assertEquals(1, d.channels());
        assertSeries(d, 0, 0.25f, 1e-7f, -3f);
        assertSeries(d, 1, 4f, Float.NaN, Float.NaN);
        assertEquals(List.of("2", "10"), d.labelNames());
        assertEquals("10", labelOf(d, 2));
    }

    @Test
    void detectedHeaderAndLabelByName() {
        Path f = text(dir, "h.csv", "\"class\",\"t1\",\"t2\"\nup,1,2\ndown,3,4\n");
        Dataset d = Readers.read(f, label("class", null));
        assertSeries(d, 1, 3f, 4f);
        assertEquals(List.of("up", "down"), d.labelNames());
    }

    @Test
    void detectedHeaderWithoutLabels() {
        Dataset d = Readers.read(text(dir, "h.csv", "a;b;c\n1;2;3\n"), null);
        assertFalse(d.hasLabels());
        assertEquals(1, d.size());
        assertSeries(d, 0, 1f, 2f, 3f);
    }

    @Test
    void textLabelInFirstRowIsNotAHeader() {
        Dataset d = Readers.read(text(dir, "t.csv", "1\t2\tcat\n3\t4\tdog\n"), label("2", null));
        assertEquals(2, d.size());
        assertEquals(List.of("cat", "dog"), d.labelNames());
    }

    @Test
    void explicitHeaderOfNumbers() {
        Dataset d = Readers.read(text(dir, "n.csv", "0,1,2\n5,6,7\n"), label(null, true));
        assertEquals(1, d.size());
        assertSeries(d, 0, 5f, 6f, 7f);
    }

    @Test
    void raggedRow() {
        fails(text(dir, "r.csv", "1,2,3\n4,5,6\n7,8\n"), "line 3", "expected 3 fields, found 2");
    }

    @Test
    void nonNumericField() {
        fails(text(dir, "n.csv", "1,2,3\n4,five,6\n"), "line 2", "field 2", "not a number", "'five'");
    }

    @Test
    void labelColumnProblems() {
        Path f = text(dir, "l.csv", "1,2,3\n");
        fails(f, label("5", null), "label column 5 is out of range");
        fails(f, label("-4", null), "label column -4 is out of range");
        fails(f, label("99999999999999999999", null), "is out of range");
        fails(f, label("class", false), "given by name", "no header");
        fails(text(dir, "h.csv", "a,b\n1,2\n"), label("class", null), "no column named 'class'");
    }

    @Test
    void onlyALabelColumn() {
        fails(text(dir, "o.csv", "1\n2\n"), label("0", false), "no value columns");
    }

    @Test
    void headerOnlyIsNoData() {
        fails(text(dir, "h.csv", "a,b,c\n"), "no data");
    }
}
