package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;
import org.rnnclust.io.Npz;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.RecurrentSpec;
import org.rnnclust.nn.RecurrentStack;
import org.rnnclust.nn.SequenceMask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a recurrent stack given PyTorch state_dict tensors: the interoperability check users run when
 * they move a model between PyTorch and rnnclust. Sizes and layer count come from the weights.
 */
@Command(name = "rnn", mixinStandardHelpOptions = true,
        description = {"Run an nn.LSTM/GRU/RNN(batch_first=True) from its state_dict (numpy.savez) on X (N,T,C);",
                "writes the output sequence (N,T,H·directions)."})
final class RnnCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Option(names = "--cell", required = true, paramLabel = "CELL", description = "lstm, gru or rnn.")
    String cell;

    @Option(names = "--weights", required = true, paramLabel = "W.npz", description = "state_dict tensors.")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Input, shape (N,T,C).")
    Path input;

    @Option(names = "--lengths", paramLabel = "L.npy",
            description = "Valid steps of each sequence, shape (N,) (as pack_padded_sequence); default all T.")
    Path lengths;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Output file.")
    Path output;

    @Option(names = "--bidirectional", description = "Expect _reverse weights (inferred from the file anyway).")
    boolean bidirectional;

    @Override
    public Integer call() {
        CellType type;
        try {
            type = CellType.parse(cell);
        } catch (IllegalArgumentException e) {
            throw new InputException("--cell " + cell + ": " + e.getMessage());
        }
        Map<String, NpyArray> w = Npz.read(weights);
        NpyArray ih0 = require(w, "weight_ih_l0");
        NpyArray hh0 = require(w, "weight_hh_l0");
        if (ih0.shape().length != 2 || hh0.shape().length != 2) throw new InputException(weights + ": weight_ih_l0 and weight_hh_l0 must be 2-d");
        int hidden = hh0.shape()[1];
        if (hh0.shape()[0] != type.gates() * hidden) {
            throw new InputException(weights + ": weight_hh_l0 is " + hh0.shape()[0] + "×" + hidden + ", not "
                    + type.gates() * hidden + "×" + hidden + " as " + cell + " needs (wrong --cell?)");
        }
        int layers = 0;
        while (w.containsKey("weight_ih_l" + layers)) layers++;
        boolean bidir = w.containsKey("weight_ih_l0_reverse");
        if (bidirectional && !bidir) throw new InputException(weights + ": --bidirectional given but there are no _reverse weights");
        NpyArray x = Npy.read(input);
        if (x.shape().length != 3) throw new InputException(input + ": expected shape (N,T,C), got " + java.util.Arrays.toString(x.shape()));
        int n = x.shape()[0], t = x.shape()[1], c = x.shape()[2];
        if (c != ih0.shape()[1]) throw new InputException(input + ": has " + c + " features, weight_ih_l0 expects " + ih0.shape()[1]);
        if (n < 1 || t < 1) throw new InputException(input + ": empty input");
        int[] len = lengths(n, t);
        RecurrentSpec rs = new RecurrentSpec(type, c, hidden, layers, bidir);
        float[] y = new float[Math.multiplyExact(Math.multiplyExact(n, t), rs.outputSize())];
        try (Backend backend = device.openForNetworks()) {
            TensorOps ops = backend.tensorOps();
            try (RecurrentStack stack = new RecurrentStack(ops, rs, 0); SequenceMask mask = new SequenceMask(ops, len, t);
                 DeviceBuffer in = ops.allocate(x.data().length); DeviceBuffer out = ops.allocate(y.length)) {
                for (Parameter p : stack.parameters()) {
                    NpyArray a = w.get(p.name());
                    if (a == null) throw new InputException(weights + ": missing tensor '" + p.name() + "'");
                    if (a.data().length != p.size()) {
                        throw new InputException(weights + ": '" + p.name() + "' has shape " + java.util.Arrays.toString(a.shape())
                                + ", expected " + java.util.Arrays.toString(p.shape()));
                    }
                    p.set(a.data());
                }
                ops.upload(x.data(), in);
                stack.forward(in, mask, null, null, out, null, null);
                ops.download(out, y);
            }
        }
        Npy.write(output, new NpyArray(new int[] {n, t, rs.outputSize()}, y));
        spec.commandLine().getOut().printf("wrote %s: %d × %d × %d (%s, %d layer(s)%s)%n", output, n, t,
                rs.outputSize(), cell, layers, bidir ? ", bidirectional" : "");
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }

    private int[] lengths(int n, int t) {
        int[] len = new int[n];
        if (lengths == null) {
            java.util.Arrays.fill(len, t);
            return len;
        }
        NpyArray l = Npy.read(lengths);
        if (l.data().length != n) throw new InputException(lengths + ": " + l.data().length + " lengths for " + n + " sequences");
        for (int i = 0; i < n; i++) {
            float v = l.data()[i];
            if (v != Math.rint(v) || v < 1 || v > t) throw new InputException(lengths + ": length " + v + " of sequence " + i + " outside 1.." + t);
            len[i] = (int) v;
        }
        return len;
    }

    private NpyArray require(Map<String, NpyArray> w, String name) {
        NpyArray a = w.get(name);
        if (a == null) throw new InputException(weights + ": no tensor '" + name + "' (expected a PyTorch RNN state_dict)");
        return a;
    }
}
