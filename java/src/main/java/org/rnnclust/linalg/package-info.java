/**
 * Host linear algebra in double precision: LAPACK's symmetric eigensolver and Gram matrices
 * through OpenBLAS ({@link org.rnnclust.linalg.Lapack}), the block Krylov eigensolver for large
 * sparse operators ({@link org.rnnclust.linalg.BlockKrylov}) and the principal axes of a data set
 * ({@link org.rnnclust.linalg.PrincipalAxes}). It knows nothing of the backends: the baselines,
 * clustering and the reports call it directly.
 */
package org.rnnclust.linalg;
