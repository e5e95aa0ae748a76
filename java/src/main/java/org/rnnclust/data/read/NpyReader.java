package org.rnnclust.data.read;

import static org.rnnclust.data.npy.NpyFormat.shapeText;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.npy.NpyInput;

/**
 * NumPy {@code .npy} files, read by {@link NpyInput} (element types and layouts: see there).
 * Data of shape (N, T) is N univariate sequences, (N, T, C) is N sequences of T steps by C
 * channels, or (N, C, T) with {@link NpyLayout#NCT}; integer values are rounded to float32 where
 * they must be.
 *
 * <p>Labels come from {@link ReadOptions#labelsFile()}: a one-dimensional .npy, shape (N,), holding
 * integers (or floats with integral values).
 */
final class NpyReader implements DatasetReader {
    @Override
    public Dataset read(SourceStream input, ReadOptions options) throws IOException {
        String source = input.name();
        NpyInput npy = NpyInput.open(input.in(), source, input.size());
        int[] shape = sequenceShape(npy, source);
        int[] ntc = options.layout().sequencesStepsChannels(shape);
        int n = ntc[0];
        int channels = ntc[2];
        int rowSize = ntc[1] * channels;
        // decoded into one array, then split into the sequences: twice the values at the peak
        input.budget().declared(n, rowSize, 2, "array of shape " + shapeText(shape));
        float[] values = npy.readFloat32(NpyInput.InexactIntegers.ROUND).data();
        float[][] series = new float[n][];
        for (int i = 0; i < n; i++) series[i] = options.layout().sequence(values, i * rowSize, ntc[1], channels);
        if (options.labelsFile() == null) return Dataset.unlabelled(source, series, channels);
        Labels.Indexed labels = readLabels(options.labelsFile(), n, source, input.limits());
        return new Dataset(source, series, channels, labels.labels(), labels.names());
    }

    /**
     * The array's shape, checked to be sequences: (N, T) or (N, T, C), with N ≥ 1 and values in
     * each sequence.
     */
    static int[] sequenceShape(NpyInput npy, String source) {
        int[] shape = npy.shape();
        if (shape.length != 2 && shape.length != 3) {
            throw new InputException(source + ": NPY data of shape " + shapeText(shape) + "; expected (N, T) or (N, T, C)");
        }
        if (shape[0] == 0) throw new InputException(source + ": no data (shape " + shapeText(shape) + ")");
        if (shape[1] * (shape.length == 3 ? shape[2] : 1) == 0) {
            throw new InputException(source + ": sequences of shape " + shapeText(shape) + " hold no values");
        }
        return shape;
    }

    static Labels.Indexed readLabels(Path file, int expected, String dataSource, ReadLimits limits) {
        String source = file.toString();
        double[] values = Readers.withStream(file, limits, input -> {
            NpyInput npy = NpyInput.open(input.in(), source, input.size());
            int[] shape = npy.shape();
            if (shape.length != 1) {
                throw new InputException(source + ": labels of shape " + shapeText(shape) + "; expected one dimension, (N,)");
            }
            if (shape[0] != expected) {
                throw new InputException(source + ": " + shape[0] + " labels for the " + expected + " sequences of "
                        + dataSource);
            }
            return npy.readFloat64();
        });
        List<String> raw = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            double v = values[i];
            if (v != Math.rint(v) || Math.abs(v) >= 1e15) {
                throw new InputException(source + ": label " + i + " is not an integer: " + v);
            }
            raw.add(Long.toString((long) v));
        }
        return Labels.index(raw);
    }
}
