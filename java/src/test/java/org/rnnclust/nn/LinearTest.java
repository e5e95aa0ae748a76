package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnclust.NpzFixture;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.RelativeError;

/** nn.Linear against PyTorch (fixtures/rnn/linear.npz): y and the gradients of Σ y·dy. */
class LinearTest {
    @Test
    void matchesPyTorch() {
        NpzFixture f = NpzFixture.load("/fixtures/rnn/linear.npz");
        int rows = 6;
        try (TensorOps ops = new CpuOps(1); Linear lin = new Linear(ops, 7, 5, 1)) {
            lin.parameter("weight").set(f.get("weight").floats());
            lin.parameter("bias").set(f.get("bias").floats());
            try (DeviceBuffer x = ops.allocate(2 + rows * 7); DeviceBuffer y = ops.allocate(rows * 5);
                 DeviceBuffer dy = ops.allocate(rows * 5); DeviceBuffer dx = ops.allocate(rows * 7)) {
                // x at an offset, to check that offsets reach the GEMMs.
                ops.upload(f.get("x").floats(), 0, x, 2, rows * 7);
                ops.upload(f.get("dy").floats(), dy);
                lin.forward(rows, x, 2, y, 0);
                lin.backward(rows, x, 2, dy, 0, dx, 0);
                RelativeError.check("y", ops.toHost(y), f.get("y").values(), 1e-6);
                RelativeError.check("dW", lin.parameter("weight").gradient(), f.get("grad.weight").values(), 1e-6);
                RelativeError.check("db", lin.parameter("bias").gradient(), f.get("grad.bias").values(), 1e-6);
                RelativeError.check("dx", ops.toHost(dx), f.get("grad.x").values(), 1e-6);
            }
        }
    }

    @Test
    void initialisesWithinPyTorchBoundsAndIsSeeded() {
        try (TensorOps ops = new CpuOps(1); Linear a = new Linear(ops, 16, 4, 9); Linear b = new Linear(ops, 16, 4, 9);
             Linear c = new Linear(ops, 16, 4, 10)) {
            float[] w = a.parameter("weight").get();
            for (float v : w) assertTrue(Math.abs(v) <= 0.25f, "U(-1/sqrt(16), 1/sqrt(16))");
            assertEquals(java.util.Arrays.toString(w), java.util.Arrays.toString(b.parameter("weight").get()));
            assertTrue(!java.util.Arrays.equals(w, c.parameter("weight").get()));
        }
    }
}
