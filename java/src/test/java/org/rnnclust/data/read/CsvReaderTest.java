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
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() {
        Path f = text(dir, "q.csv", "\"name, in full\",\"t 1\",t2\n"
                + "\"up, fast\", 1 ,\" 2.5 \"\n"
                + "\"say \"\"hi\"\"\",3,4\n"
                + "\"two\nlines\",5,6\n");
        Dataset d = Readers.read(f, label("name, in full", null));
        assertEquals(3, d.size());
        assertSeries(d, 0, 1f, 2.5f);
        assertSeries(d, 2, 5f, 6f);
        assertEquals(List.of("up, fast", "say \"hi\"", "two\nlines"), d.labelNames());
    }

    @Test
    void aQuotedLineBreakKeepsTheLineNumbersOfTheFile() {
        fails(text(dir, "q.csv", "1,2,\"a\nb\"\n3,4,c\n5,x,d\n"), label("-1", null), "line 4", "field 2", "'x'");
    }

    @Test
    void byteOrderMarkIsSkipped() {
        Dataset named = Readers.read(text(dir, "b.csv", "\uFEFFclass,t1,t2\nup,1,2\n"), label("class", null));
        assertEquals(List.of("up"), named.labelNames());
        Dataset numbers = Readers.read(text(dir, "n.csv", "\uFEFF1;2;3\n4;5;6\n"), null);
        assertEquals(2, numbers.size(), "the first row is data, not a header");
        assertSeries(numbers, 0, 1f, 2f, 3f);
    }

    @Test
    void crlfLineEnds() {
        Path f = text(dir, "w.csv", "t1,t2,class\r\n1,2,a\r\n\r\n3,4,b\r\n");
        Dataset d = Readers.read(f, label("class", null));
        assertSeries(d, 1, 3f, 4f);
        assertEquals(List.of("a", "b"), d.labelNames(), "no carriage return left in the last field");
        fails(text(dir, "r.csv", "1,2,3\r\n4,5,6\r\n7,8\r\n"), "line 3", "expected 3 fields, found 2");
    }

    @Test
    void blankLinesAreSkippedAndCounted() {
        Path f = text(dir, "s.csv", "\n   \n1;2\n\t\n3;x\n");
        fails(f, "line 5", "field 2", "'x'");
        Dataset tabs = Readers.read(text(dir, "t.csv", "\t\t\n1\t2\t3\n\t\t\n4\t5\t6\n"), null);
        assertEquals(2, tabs.size(), "tab-only lines are blank");
    }

    @Test
    void unbalancedQuotesAreAOneLineErrorAtTheirLine() {
        fails(text(dir, "u.csv", "1,2,3\n4,\"5,6\n7,8,9\n"), "line 2", "bad quoting");
        fails(text(dir, "g.csv", "1,2,3\n\"4\"x,5,6\n"), "line 2", "bad quoting");
    }

    @Test
    void headerOnlyIsNoData() {
        fails(text(dir, "h.csv", "a,b,c\n"), "no data");
    }
}
