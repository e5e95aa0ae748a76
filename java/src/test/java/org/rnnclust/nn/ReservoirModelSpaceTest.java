package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.NpzFixture;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.testing.RelativeError;

/**
 * The reservoir and its model space against the numpy reference of
 * fixtures/reservoir/make_reservoir_fixtures.py: the same weights set on the Java network, padded
 * sequences of lengths 1 to 9, both directions.
 */
class ReservoirModelSpaceTest {
    static final NpzFixture FIX = NpzFixture.load("/fixtures/reservoir/reservoir.npz");
    static TensorOps ops;

    @BeforeAll
    static void open() {
        ops = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        ops.close();
    }

    private static int setting(int i) {
        return FIX.get("settings").ints()[i];
    }

    static PaddedSequences data() {
        return new PaddedSequences(setting(0), setting(1), setting(2), FIX.get("x").floats(), FIX.get("lengths").ints());
    }

    /** A reservoir of the fixture's shape with the fixture's weights (biases zero). */
    static Reservoir fixtureReservoir() {
        ReservoirSpec spec = new ReservoirSpec(setting(3), 0.9, 0.8, 0.3, true, setting(4), FIX.get("ridge").scalar());
        Reservoir r = new Reservoir(ops, setting(2), spec, 7);
        for (Parameter p : r.parameters()) {
            p.set(p.name().startsWith("bias") ? new float[(int) p.size()] : FIX.get(p.name()).floats());
        }
        return r;
    }

    @Test
    void statesMatchTheReference() {
        try (Reservoir r = fixtureReservoir()) {
            PaddedSequences data = data();
            RelativeError.check("states", r.states(data, 0, data.n()), FIX.get("states").values(), 1e-6);
        }
    }

    @Test
    void aSequencesStatesDoNotDependOnItsBatchBeyondRounding() {
        try (Reservoir r = fixtureReservoir()) {
            PaddedSequences data = data();
            float[] all = r.states(data, 0, data.n());
            int row = data.maxLength() * 2 * r.spec().units();
            // The GEMMs' blocking follows the batch size, so the last bits may differ.
            RelativeError.check("states of rows 2-4 alone", r.states(data, 2, 3),
                    toDoubles(Arrays.copyOfRange(all, 2 * row, 5 * row)), 1e-6);
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void coordinatesMatchTheReference() {
        try (Reservoir r = fixtureReservoir()) {
            PaddedSequences data = data();
            ReservoirModelSpace space = ReservoirModelSpace.fit(r, data, false);
            assertEquals(setting(4), space.components());
            assertEquals(2 * setting(4) * (setting(4) + 1), space.dimension());
            float[] got = space.coordinates(data);
            RelativeError.check("model-space coordinates", got, FIX.get("coordinates").values(), 1e-4);
            // A single-step sequence has no transition: only the ridge answers, with zeros.
            int dim = space.dimension();
            for (int j = 0; j < dim; j++) assertEquals(0f, got[5 * dim + j], "sequence of length 1, coordinate " + j);
        }
    }

    @Test
    void drawnWeightsHaveTheStatedDensityAndScale() {
        int units = 400;
        double rho = 0.9;
        double density = 0.25;
        ReservoirSpec spec = new ReservoirSpec(units, rho, 0.5, density, true, 30, 1);
        try (Reservoir a = new Reservoir(ops, 3, spec, 11); Reservoir b = new Reservoir(ops, 3, spec, 11);
             Reservoir c = new Reservoir(ops, 3, spec, 12)) {
            for (int d = 0; d < 2; d++) {
                float[] w = a.parameters().get(4 * d + 1).get();
                long nonzero = 0;
                double squares = 0;
                for (float v : w) {
                    if (v != 0) nonzero++;
                    squares += (double) v * v;
                }
                assertEquals(density, (double) nonzero / w.length, 0.01, "density of direction " + d);
                // Entries of variance rho²/(units·density) on units·density nonzeros per row: the
                // squared Frobenius norm is about units·rho², the circular law's radius then rho.
                assertEquals(rho * rho, squares / units, 0.03 * rho * rho, "scale of direction " + d);
                for (float v : a.parameters().get(4 * d).get()) assertTrue(Math.abs(v) <= 0.5f, "input weight " + v);
                for (float v : a.parameters().get(4 * d + 2).get()) assertEquals(0f, v);
            }
            for (int p = 0; p < a.parameters().size(); p++) {
                assertArrayEquals(a.parameters().get(p).get(), b.parameters().get(p).get(), "same seed, tensor " + p);
            }
            assertFalse(Arrays.equals(a.parameters().get(1).get(), c.parameters().get(1).get()), "another seed");
            assertFalse(Arrays.equals(a.parameters().get(1).get(), a.parameters().get(5).get()),
                    "the two directions have weights of their own");
        }
    }
}
