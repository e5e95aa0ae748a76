package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;

/**
 * {@code --layout nct}: an array written [N, C, T] (as aeon, sktime and DL4J hold series) reads
 * as the same sequences as its [N, T, C] transpose, whole, in chunks and sampled. The oracle is
 * the transpose, written by a plain index loop.
 */
class NpyLayoutTest {
    @TempDir Path tmp;

    static final int N = 7;
    static final int T = 11;
    static final int C = 3;

    @Test
    void anNctArrayReadsAsItsNtcTranspose() {
        float[] ntc = new float[N * T * C];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < ntc.length; i++) ntc[i] = (float) r.nextGaussian();
        float[] nct = new float[ntc.length];
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) nct[(n * C + c) * T + t] = ntc[(n * T + t) * C + c];
            }
        }
        Path a = tmp.resolve("ntc.npy");
        Path b = tmp.resolve("nct.npy");
        Npy.write(a, new NpyArray(new int[] {N, T, C}, ntc));
        Npy.write(b, new NpyArray(new int[] {N, C, T}, nct));

        Dataset expected = Readers.read(a, ReadOptions.defaults());
        Dataset read = Readers.read(b, ReadOptions.defaults().withLayout(NpyLayout.NCT));
        assertSame(expected, read);
        assertArrayEquals(new int[] {N, T, C}, Readers.npyShape(b, NpyLayout.NCT));

        List<float[]> chunks = new ArrayList<>();
        int[] started = new int[3];
        Readers.streamRows(b, Format.AUTO, NpyLayout.NCT, 3, new Readers.Rows() {
            @Override
            public void start(int sequences, int steps, int channels) {
                started[0] = sequences;
                started[1] = steps;
                started[2] = channels;
            }

            @Override
            public void rows(Dataset chunk) {
                for (int i = 0; i < chunk.size(); i++) chunks.add(chunk.series(i));
            }
        });
        assertArrayEquals(new int[] {N, T, C}, started);
        for (int i = 0; i < N; i++) assertArrayEquals(expected.series(i), chunks.get(i), "streamed sequence " + i);

        Dataset sampled = Readers.sample(b, ReadOptions.defaults().withLayout(NpyLayout.NCT), N, 1);
        assertSame(expected, sampled);
    }

    @Test
    void theLayoutIsRefusedForOtherFormatsAndMisspelt() {
        Path ucr = tmp.resolve("x.tsv");
        assertThrows(InputException.class, () -> Readers.read(ucr, ReadOptions.defaults().withLayout(NpyLayout.NCT)));
        assertThrows(InputException.class, () -> NpyLayout.parse("tnc"));
        assertEquals(NpyLayout.NCT, NpyLayout.parse(" NCT "));
    }

    private static void assertSame(Dataset expected, Dataset read) {
        assertEquals(expected.size(), read.size());
        assertEquals(C, read.channels());
        for (int i = 0; i < N; i++) assertArrayEquals(expected.series(i), read.series(i), "sequence " + i);
    }
}
