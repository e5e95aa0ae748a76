package org.rnnclust.io;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.rnnclust.data.Dataset;

/**
 * Writes a univariate data set in the UCR archive's text format: one series per line, its class
 * number first (1 for the first class, as the archive numbers them), then the values, tab-separated;
 * gzip-compressed when the name ends in {@code .gz}. Values are written in Java's shortest
 * round-trip form, so that reading the file back gives the same floats. All or nothing: a failed
 * write leaves no file.
 */
public final class UcrWriter {
    private UcrWriter() {}

    public static void write(Path file, Dataset data) {
        if (data.channels() != 1) {
            throw new IllegalArgumentException("the UCR format holds one channel, the data set has " + data.channels());
        }
        if (!data.hasLabels()) throw new IllegalArgumentException("the UCR format needs a label on every series");
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFile.write(file, out -> {
            OutputStream target = gzip ? new GZIPOutputStream(out, 1 << 16) : out;
            Writer w = new OutputStreamWriter(target, StandardCharsets.US_ASCII);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < data.size(); i++) {
                line.setLength(0);
                line.append(data.labels()[i] + 1);
                for (float v : data.series(i)) line.append('\t').append(v);
                w.append(line).append('\n');
            }
            w.flush();
            if (target instanceof GZIPOutputStream g) g.finish();
        });
    }
}
