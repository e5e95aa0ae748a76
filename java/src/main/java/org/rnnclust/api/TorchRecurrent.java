package org.rnnclust.api;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;
import org.rnnclust.io.Npz;
import org.rnnclust.io.Safetensors;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.RecurrentSpec;
import org.rnnclust.nn.RecurrentStack;
import org.rnnclust.nn.SequenceMask;

/**
 * Runs a PyTorch {@code nn.LSTM/GRU/RNN(batch_first=True)} from its state_dict on this engine: the
 * interoperability check users run when they move a network between PyTorch and rnnclust. Sizes
 * and layer count come from the weights.
 */
public final class TorchRecurrent {
    /** What ran: n sequences of t steps, output size (hidden × directions), layers, directions. */
    public record Run(int n, int t, int outputSize, int layers, boolean bidirectional) {}

    private TorchRecurrent() {}

    /**
     * @param weights       the state_dict tensors (numpy.savez)
     * @param input         X, shape (N, T, C)
     * @param lengths       the valid steps of each sequence, shape (N,), as pack_padded_sequence; null: all T
     * @param output        where the output sequence (N, T, H·directions) is written
     * @param bidirectional whether reverse weights must be there (they are used when present anyway)
     */
    public static Run run(Device device, Cell cell, Path weights, Path input, Path lengths, Path output,
                          boolean bidirectional) {
        return run(device, cell, weights, "", input, lengths, output, bidirectional);
    }

    /**
     * The same, with the weights read from an .npz ({@code numpy.savez}) or a {@code .safetensors}
     * file ({@code safetensors.torch.save_file}, or {@code rnnclust export}), under names that start
     * with {@code prefix} ({@code "encoder."} for an exported autoencoder's encoder; "" for a bare
     * state_dict).
     */
    public static Run run(Device device, Cell cell, Path weights, String prefix, Path input, Path lengths, Path output,
                          boolean bidirectional) {
        Map<String, NpyArray> w = withoutPrefix(weights, prefix,
                weights.getFileName().toString().endsWith(".safetensors") ? Safetensors.read(weights).tensors()
                        : Npz.read(weights));
        NpyArray ih0 = require(weights, w, "weight_ih_l0");
        NpyArray hh0 = require(weights, w, "weight_hh_l0");
        if (ih0.shape().length != 2 || hh0.shape().length != 2) {
            throw new InputException(weights + ": weight_ih_l0 and weight_hh_l0 must be 2-d");
        }
        int hidden = hh0.shape()[1];
        int gates = cell.type().gates();
        if (hh0.shape()[0] != gates * hidden) {
            throw new InputException(weights + ": weight_hh_l0 is " + hh0.shape()[0] + "×" + hidden + ", not "
                    + gates * hidden + "×" + hidden + " as " + cell.label() + " needs (is the cell right?)", Setting.CELL);
        }
        int layers = 0;
        while (w.containsKey("weight_ih_l" + layers)) layers++;
        boolean reverse = w.containsKey("weight_ih_l0_reverse");
        if (bidirectional && !reverse) {
            throw new InputException(weights + ": a bidirectional network was expected, but there are no _reverse weights",
                    Setting.BIDIRECTIONAL);
        }
        NpyArray x = Npy.read(input);
        if (x.shape().length != 3) {
            throw new InputException(input + ": expected shape (N,T,C), got " + Arrays.toString(x.shape()));
        }
        int n = x.shape()[0];
        int t = x.shape()[1];
        int c = x.shape()[2];
        if (c != ih0.shape()[1]) {
            throw new InputException(input + ": has " + c + " features, weight_ih_l0 expects " + ih0.shape()[1]);
        }
        if (n < 1 || t < 1) throw new InputException(input + ": empty input");
        int[] len = lengths(lengths, n, t);
        RecurrentSpec rs = new RecurrentSpec(cell.type(), c, hidden, layers, reverse);
        float[] y = new float[Math.multiplyExact(Math.multiplyExact(n, t), rs.outputSize())];
        TensorOps ops = device.backend().tensorOps();
        try (RecurrentStack stack = new RecurrentStack(ops, rs, 0); SequenceMask mask = new SequenceMask(ops, len, t);
             DeviceBuffer in = ops.allocate(x.data().length); DeviceBuffer out = ops.allocate(y.length)) {
            for (Parameter p : stack.parameters()) {
                NpyArray a = w.get(p.name());
                if (a == null) throw new InputException(weights + ": missing tensor '" + p.name() + "'");
                if (a.data().length != p.size()) {
                    throw new InputException(weights + ": '" + p.name() + "' has shape " + Arrays.toString(a.shape())
                            + ", expected " + Arrays.toString(p.shape()));
                }
                p.set(a.data());
            }
            ops.upload(x.data(), in);
            stack.forward(in, mask, null, null, out, null, null);
            ops.download(out, y);
        }
        Npy.write(output, new NpyArray(new int[] {n, t, rs.outputSize()}, y));
        return new Run(n, t, rs.outputSize(), layers, reverse);
    }

    private static int[] lengths(Path file, int n, int t) {
        int[] len = new int[n];
        if (file == null) {
            Arrays.fill(len, t);
            return len;
        }
        NpyArray l = Npy.read(file);
        if (l.data().length != n) throw new InputException(file + ": " + l.data().length + " lengths for " + n + " sequences");
        for (int i = 0; i < n; i++) {
            float v = l.data()[i];
            if (v != Math.rint(v) || v < 1 || v > t) {
                throw new InputException(file + ": length " + v + " of sequence " + i + " outside 1.." + t);
            }
            len[i] = (int) v;
        }
        return len;
    }

    private static Map<String, NpyArray> withoutPrefix(Path weights, String prefix, Map<String, NpyArray> all) {
        if (prefix.isEmpty()) return all;
        Map<String, NpyArray> w = new LinkedHashMap<>();
        all.forEach((name, array) -> {
            if (name.startsWith(prefix)) w.put(name.substring(prefix.length()), array);
        });
        if (w.isEmpty()) throw new InputException(weights + ": no tensor name starts with '" + prefix + "'");
        return w;
    }

    private static NpyArray require(Path weights, Map<String, NpyArray> w, String name) {
        NpyArray a = w.get(name);
        if (a == null) throw new InputException(weights + ": no tensor '" + name + "' (expected a PyTorch RNN state_dict)");
        return a;
    }
}
