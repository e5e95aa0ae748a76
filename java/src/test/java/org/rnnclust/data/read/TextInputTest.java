package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnnclust.data.read.TestFiles.assertSeries;
import static org.rnnclust.data.read.TestFiles.fails;
import static org.rnnclust.data.read.TestFiles.labelOf;
import static org.rnnclust.data.read.TestFiles.text;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.InputException;
import org.rnnclust.InsufficientMemoryException;
import org.rnnclust.data.Dataset;

/**
 * What every text reader gets from {@link TextInput}: no byte-order mark, no NUL, lines and
 * records within the {@link ReadLimits}, and a dataset within its share of the heap; and a long
 * series that fits still loads.
 */
class TextInputTest {
    private static final String BOM = "\uFEFF";
    /** A 1 MiB heap's limits: lines of 65,536 characters (CSV 16,384), 512 KiB of data. */
    private static final ReadLimits SMALL = ReadLimits.ofHeap(1 << 20);

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"x.tsv", "x.tsv.gz", "x.txt"})
    void aByteOrderMarkIsNotPartOfTheFirstUcrLabel(String name) {
        String sep = name.endsWith(".txt") ? " " : "\t";
        Dataset d = Readers.read(text(dir, name, BOM + "1" + sep + "0.5\r\n2" + sep + "1.5\r\n1" + sep + "2\r\n"), null);
        assertEquals(List.of("1", "2"), d.labelNames(), "no phantom class");
        assertEquals("1", labelOf(d, 0));
        assertEquals("1", labelOf(d, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.ts", "x.ts.gz"})
    void aByteOrderMarkBeforeATsHeaderIsSkipped(String name) {
        Dataset d = Readers.read(text(dir, name, BOM + "@problemName x\n@univariate true\n@classLabel true a b\n@data\n1,2:a\n3,4:b\n"),
                null);
        assertEquals(2, d.size());
        assertSeries(d, 1, 3f, 4f);
        Dataset comment = Readers.read(text(dir, "c" + name, BOM + "# made by a tool\n@classLabel false\n@data\n1,2\n"), null);
        assertSeries(comment, 0, 1f, 2f);
    }

    @Test
    void aByteOrderMarkBeforeCsvDataIsSkipped() {
        Dataset d = Readers.read(text(dir, "x.csv", BOM + "1.5,2,3\n4,5,6\n"), null);
        assertSeries(d, 0, 1.5f, 2f, 3f);
    }

    @Test
    void onlyTheMarkAtTheStartIsDropped() {
        fails(text(dir, "m.tsv", "1\t" + BOM + "2\n"), "line 1", "field 2", "not a number");
        fails(text(dir, "only.tsv", BOM), "no data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"n.tsv", "n.ts", "n.csv", "n.tsv.gz"})
    void aNulCharacterIsBinaryDataNotText(String name) {
        String content = name.startsWith("n.ts") && !name.startsWith("n.tsv") ? "@classLabel false\n@data\n1,\u00002\n" : "1,2\n3\u0000,4\n";
        fails(text(dir, name, content), name.startsWith("n.ts") && !name.startsWith("n.tsv") ? "line 3" : "line 2", "NUL",
                "not text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"l.tsv", "l.ts", "l.tsv.gz"})
    void aLineMayHoldAsManyCharactersAsTheLimitAndNoMore(String name) {
        boolean ts = name.startsWith("l.ts") && !name.startsWith("l.tsv");
        String header = ts ? "@classLabel false\n@data\n" : "";
        String start = ts ? "" : "1\t";
        String sep = ts ? "," : "\t";
        int limit = SMALL.lineChars();
        StringBuilder line = new StringBuilder(start).append("0.5");
        while (line.length() + 4 <= limit) line.append(sep).append("0.5");
        while (line.length() < limit) line.append(' ');
        Dataset d = Readers.read(text(dir, name, header + line + "\n"), null, SMALL);
        assertEquals(1, d.size());

        Path longer = text(dir, "longer-" + name, header + line + "7\n");
        int lineNo = ts ? 3 : 1;
        InputException e = assertThrows(InsufficientMemoryException.class, () -> Readers.read(longer, null, SMALL));
        assertEquals(longer + ": line " + lineNo + ": a line longer than 65536 characters, the limit with a Java heap of at most "
                + "1.0 MiB: give the JVM more heap (JAVA_OPTS=-Xmx...)", e.getMessage());
    }

    @Test
    void aCsvRecordIsCappedEvenAcrossLinesInQuotes() {
        int limit = SMALL.csvLineChars();
        StringBuilder quoted = new StringBuilder("1,\"");
        while (quoted.length() < 2 * limit) quoted.append("a\n");
        Path f = text(dir, "q.csv", "0,x\n" + quoted + "\"\n");
        InputException e = assertThrows(InsufficientMemoryException.class,
                () -> Readers.read(f, new ReadOptions(Format.AUTO, null, "-1", null), SMALL));
        assertTrue(e.getMessage().startsWith(f + ": line 2: a record longer than 16384 characters"), e.getMessage());

        StringBuilder wide = new StringBuilder("0");
        while (wide.length() < limit + 10) wide.append(",0");
        Path w = text(dir, "w.csv", wide + "\n");
        assertTrue(assertThrows(InsufficientMemoryException.class, () -> Readers.read(w, null, SMALL)).getMessage()
                .startsWith(w + ": line 1: a record longer than 16384 characters"));
        assertEquals(1, Readers.read(w, null).size(), "within this JVM's limits");
    }

    @Test
    void aLineBeyondAnyArrayIsBadInputNotMemory() {
        ReadLimits huge = ReadLimits.ofHeap(1L << 40);
        assertEquals(Integer.MAX_VALUE - 8, huge.lineChars());
        RuntimeException e = huge.lineTooLong("f: line 1", "a line", huge.lineChars());
        assertEquals(InputException.class, e.getClass());
        assertEquals("f: line 1: a line longer than 2147483639 characters, more than one array holds", e.getMessage());
    }

    @Test
    void theLimitsFollowTheHeap() {
        ReadLimits l = ReadLimits.ofHeap(512L << 20);
        assertEquals(256L << 20, l.dataBytes());
        assertEquals(32 << 20, l.lineChars());
        assertEquals(8 << 20, l.csvLineChars());
        assertEquals(Runtime.getRuntime().maxMemory(), ReadLimits.ofThisJvm().heapBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"d.tsv", "d.ts", "d.csv"})
    void aDatasetMayTakeHalfTheHeap(String name) {
        boolean ts = name.equals("d.ts");
        StringBuilder sb = new StringBuilder(ts ? "@classLabel false\n@data\n" : "");
        // 100 values and the per-sequence overhead: about 500 bytes a line, 512 KiB after some 1050 lines
        String values = String.join(ts ? "," : name.equals("d.csv") ? "," : "\t", java.util.Collections.nCopies(100, "1"));
        for (int i = 0; i < 1200; i++) sb.append(ts || name.equals("d.csv") ? "" : "1\t").append(values).append('\n');
        Path f = text(dir, name, sb.toString());
        InputException e = assertThrows(InsufficientMemoryException.class, () -> Readers.read(f, null, SMALL));
        assertTrue(e.getMessage().startsWith(f + ": the sequences up to line "), e.getMessage());
        assertTrue(e.getMessage().contains("more than the 512.0 KiB a dataset may take (half of the Java heap of at most 1.0 MiB)"),
                e.getMessage());
        assertEquals(1200, Readers.read(f, null).size(), "within this JVM's limits");
    }

    @Test
    void aLongSeriesThatFitsTheHeapLoads() {
        int steps = 2_000_000;  // about 20 MB of text per line
        String[] fields = new String[1000];
        StringBuilder sb = new StringBuilder();
        for (int label = 1; label <= 2; label++) {
            for (int i = 0; i < fields.length; i++) fields[i] = String.format(Locale.ROOT, "\t%.4f", i / 1000.0 * label);
            sb.append(label);
            for (int t = 0; t < steps; t++) sb.append(fields[t % 1000]);
            sb.append('\n');
        }
        Dataset d = Readers.read(text(dir, "long.tsv", sb.toString()), null);
        assertEquals(2, d.size());
        assertEquals(steps, d.length(0));
        assertEquals(0.999f * 2, d.series(1)[999], 1e-6f);
    }
}
