/**
 * Host linear algebra in double precision: Gram matrices and symmetric eigen-decompositions
 * ({@link org.rnnclust.linalg.LinearAlgebra}: LAPACK through OpenBLAS, or the deterministic mode's
 * fixed-order Java solver, whose bits do not depend on the machine), Cholesky solves and the
 * principal axes of a data set ({@link org.rnnclust.linalg.PrincipalAxes}). It knows nothing of the
 * backends: the baselines, clustering and the reports call it directly, and say which
 * implementation they want.
 */
package org.rnnclust.linalg;
