package org.rnnclust.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The block Krylov eigensolver against LAPACK's dense dsyevr. */
class BlockKrylovTest {
    /** A random symmetric n × n matrix with about {@code perRow} nonzeros a row. */
    private static double[] sparseSymmetric(int n, int perRow, long seed) {
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

    private static BlockKrylov.SymmetricOperator dense(double[] a, int n) {
        return (x, y) -> {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += a[i * n + j] * x[j];
                y[i] = s;
            }
        };
    }

    @Test
    void largestEigenpairsMatchLapack() {
        int n = 300;
        int count = 6;
        double[] a = sparseSymmetric(n, 8, 4);
        LinearAlgebra.Eigen ref = LinearAlgebra.lapack().largestEigen(a.clone(), n, count + 1);
        BlockKrylov.Result r = BlockKrylov.largest(dense(a, n), n, count, 4, n, 1e-9, 7);
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
        BlockKrylov.Result r = BlockKrylov.largest(dense(a, n), n, 3, 3, n, 1e-9, 2);
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
}
