package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;
import org.rnnclust.backend.KrylovSpace;
import org.rnnclust.backend.ScaledSparseMatrix;
import org.rnnclust.linalg.LinearAlgebra;
import org.rnnclust.testing.Blobs;

/**
 * The block Krylov eigensolver on the CPU backend's space: against LAPACK's dense dsyevr, and bit
 * for bit against the host solver it replaced ({@link LegacyBlockKrylov}).
 */
class BlockKrylovTest {
    private static Backend cpu;

    @BeforeAll
    static void open() {
        cpu = Backends.open("cpu", 2);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    /** A random symmetric n × n matrix with about {@code perRow} nonzeros a row. */
    static double[] sparseSymmetric(int n, int perRow, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < perRow / 2; t++) {
                int j = r.nextInt(n);
                double v = r.nextGaussian();
                a[i * n + j] += v;
                a[j * n + i] += v;
            }
        }
        return a;
    }

    /** The nonzeros of a dense n × n matrix in compressed rows, scale 1. */
    static ScaledSparseMatrix compressed(double[] a, int n) {
        int[] start = new int[n + 1];
        List<Integer> columns = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (a[i * n + j] == 0) continue;
                columns.add(j);
                weights.add(a[i * n + j]);
            }
            start[i + 1] = columns.size();
        }
        double[] scale = new double[n];
        java.util.Arrays.fill(scale, 1.0);
        return new ScaledSparseMatrix(n, start, columns.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), scale);
    }

    private static BlockKrylov.Result solve(ScaledSparseMatrix a, int count, int block, int maxBasis, double tol,
                                            long seed, LinearAlgebra dense) {
        try (KrylovSpace space = cpu.krylovSpace(a, maxBasis)) {
            return BlockKrylov.largest(space, count, block, maxBasis, tol, seed, dense);
        }
    }

    @Test
    void largestEigenpairsMatchLapack() {
        int n = 300;
        int count = 6;
        double[] a = sparseSymmetric(n, 8, 4);
        LinearAlgebra.Eigen ref = LinearAlgebra.lapack().largestEigen(a.clone(), n, count + 1);
        BlockKrylov.Result r = solve(compressed(a, n), count, 4, n, 1e-9, 7, LinearAlgebra.lapack());
        assertTrue(r.converged(), "residual " + r.maxResidual());
        for (int c = 0; c < count; c++) {
            assertEquals(ref.values()[c], r.values()[c], 1e-8, "eigenvalue " + c);
            double dot = 0;
            for (int i = 0; i < n; i++) dot += ref.vector(i, c) * r.vectors()[i * count + c];
            // these eigenvalues are simple, so each vector is unique up to sign
            assertEquals(1.0, Math.abs(dot), 1e-6, "eigenvector " + c);
        }
    }

    /** A block of b vectors finds an eigenvalue repeated b times; the identity on 3 copies of a block. */
    @Test
    void resolvesARepeatedEigenvalueWithABlockAsWide() {
        int part = 40;
        int n = 3 * part;
        double[] block = sparseSymmetric(part, 6, 9);
        double[] a = new double[n * n];
        for (int copy = 0; copy < 3; copy++) {
            for (int i = 0; i < part; i++) {
                System.arraycopy(block, i * part, a, (copy * part + i) * n + copy * part, part);
            }
        }
        LinearAlgebra.Eigen ref = LinearAlgebra.lapack().largestEigen(block.clone(), part, 1);
        BlockKrylov.Result r = solve(compressed(a, n), 3, 3, n, 1e-9, 2, LinearAlgebra.lapack());
        for (int c = 0; c < 3; c++) assertEquals(ref.values()[0], r.values()[c], 1e-8, "copy " + c);
        // orthonormal vectors: a true 3-d eigenspace, not one vector found three times
        for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 3; q++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += r.vectors()[i * 3 + p] * r.vectors()[i * 3 + q];
                assertEquals(p == q ? 1.0 : 0.0, dot, 1e-8, "columns " + p + ", " + q);
            }
        }
    }

    /**
     * The solver over the CPU backend's space gives the bits of the host solver it replaced, one
     * product per vector (the normalised kNN graph of blobs, with LAPACK and with the fixed-order
     * dense solver; a basis limit that stops it early, too).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void equalsTheHostSolverItReplacedBitForBit(int variant) {
        int n = 700;
        int d = 5;
        int kk = 8;
        float[] x = Blobs.gaussian(n, d, 4, 31 + variant);
        SpectralClustering.Graph graph = SpectralClustering.Graph.knn(cpu.nearestNeighbours(x, n, d, kk).index(), n, kk);
        ScaledSparseMatrix a = graph.normalised();
        LinearAlgebra dense = variant == 1 ? LinearAlgebra.fixedOrder() : LinearAlgebra.lapack();
        int maxBasis = variant == 2 ? 30 : 400;
        int count = 8;
        LegacyBlockKrylov.Result old = LegacyBlockKrylov.largest((v, y) -> {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int e = a.rowStart()[i]; e < a.rowStart()[i + 1]; e++) {
                    s += a.weight()[e] * a.scale()[a.column()[e]] * v[a.column()[e]];
                }
                y[i] = a.scale()[i] * s;
            }
        }, n, count, count, maxBasis, 1e-6, 99, dense);
        BlockKrylov.Result now = solve(a, count, count, maxBasis, 1e-6, 99, dense);
        assertEquals(old.basisSize(), now.basisSize(), "basis size");
        assertEquals(old.converged(), now.converged());
        assertEquals(Double.doubleToRawLongBits(old.maxResidual()), Double.doubleToRawLongBits(now.maxResidual()),
                "residual " + old.maxResidual() + " vs " + now.maxResidual());
        assertArrayEquals(old.values(), now.values(), 0.0, "eigenvalues");
        assertArrayEquals(old.vectors(), now.vectors(), 0.0, "eigenvectors");
        if (variant == 2) assertEquals(30, now.basisSize(), "stopped at the basis limit");
    }
}
