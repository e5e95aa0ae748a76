package org.rnnclust.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.Timing;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.MemoryPlan;
import org.rnnclust.nn.RecurrentSpec;
import org.rnnclust.nn.RecurrentStack;
import org.rnnclust.nn.SequenceMask;

/**
 * Times one recurrent layer (batch-first input, all sequences full length): forward alone, or a
 * training step = forward + backward with the input gradient, as PyTorch's reference computes it
 * with {@code x.requires_grad_()} and {@code (out * R).sum().backward()}.
 */
public final class RecurrentBench {
    private RecurrentBench() {}

    public record Shape(String cell, int batch, int steps, int input, int hidden) {
        public static Shape parse(String spec) {
            String[] parts = spec.split(":");
            String[] dims = parts.length == 2 ? parts[1].split(",") : new String[0];
            if (dims.length != 4) throw new InputException("recurrent shape " + spec + ": expected CELL:B,T,I,H, e.g. lstm:256,28,28,128",
                    Setting.BENCH_SHAPES);
            try {
                CellType.parse(parts[0]);
                int[] d = Arrays.stream(dims).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                if (Arrays.stream(d).anyMatch(v -> v < 1)) throw new NumberFormatException();
                return new Shape(parts[0].toLowerCase(java.util.Locale.ROOT), d[0], d[1], d[2], d[3]);
            } catch (IllegalArgumentException e) {
                throw new InputException("recurrent shape " + spec + ": expected a cell (lstm, gru, rnn) and four integers >= 1",
                        Setting.BENCH_SHAPES);
            }
        }

        int gates() {
            return CellType.parse(cell).gates();
        }

        /** 2·B·T·G·H·(I+H): the two projections; pointwise work is small beside them. */
        public double forwardFlops() {
            return 2.0 * batch * steps * gates() * hidden * (double) (input + hidden);
        }

        /** What timing this shape allocates, on the device and in the heap. */
        public MemoryPlan memoryPlan(boolean train) {
            return MemoryPlan.benchmark(new RecurrentSpec(CellType.parse(cell), input, hidden, 1, false), batch, steps,
                    train, "time a smaller shape", List.of(Setting.BENCH_SHAPES));
        }

        /** Input, output and gate activations read or written once (the memory floor). */
        public double bytes(boolean train) {
            double act = 4.0 * batch * steps * (input + hidden + (double) gates() * hidden);
            return train ? 3 * act : act;
        }
    }

    /**
     * Times forward (or a training step) of one layer at shape s; large shapes get fewer runs, so
     * that each measurement takes about {@code budgetMs} (see {@link Timing#measureWithin}).
     */
    public static Timing time(TensorOps ops, Shape s, boolean train, int warmup, int repeat, double budgetMs,
                              long seed) {
        return time(ops, s, train, warmup, repeat, budgetMs, seed, null);
    }

    /**
     * @param clock times one run (a backend's device-side timing: CUDA events around the work on a
     *              GPU); null: the wall clock, the run ending with a one-float download that waits
     *              for an asynchronous device
     */
    public static Timing time(TensorOps ops, Shape s, boolean train, int warmup, int repeat, double budgetMs,
                              long seed, java.util.function.ToDoubleFunction<Runnable> clock) {
        s.memoryPlan(train).require(ops);
        int[] lengths = new int[s.batch()];
        Arrays.fill(lengths, s.steps());
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[Math.multiplyExact(s.batch() * s.steps(), s.input())];
        float[] r = new float[Math.multiplyExact(s.batch() * s.steps(), s.hidden())];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < r.length; i++) r[i] = (float) rng.nextGaussian();
        try (RecurrentStack stack = new RecurrentStack(ops, CellType.parse(s.cell()), s.input(), s.hidden(), 1, false, seed);
             SequenceMask mask = new SequenceMask(ops, lengths, s.steps());
             DeviceBuffer in = ops.allocate(x.length); DeviceBuffer out = ops.allocate(r.length);
             DeviceBuffer dOut = ops.allocate(r.length); DeviceBuffer dIn = ops.allocate(x.length)) {
            ops.upload(x, in);
            ops.upload(r, dOut);
            Timing.Work step = () -> {
                stack.forward(in, mask, null, null, out, null, null);
                if (train) {
                    stack.zeroGrad();
                    stack.backward(dOut, null, null, dIn, null, null);
                }
            };
            if (clock != null) return Timing.measureWithin(budgetMs, warmup, repeat, step, clock);
            return Timing.measureWithin(budgetMs, warmup, repeat, () -> {
                step.run();
                ops.download(out, 0, r, 0, 1); // waits for an asynchronous device
            });
        }
    }
}
