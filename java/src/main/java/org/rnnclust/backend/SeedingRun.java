package org.rnnclust.backend;

/**
 * k-means++ seeding with each point's squared distance to its nearest chosen centre kept where the
 * points are (on a GPU, the device): a round sends the candidates' rows and potentials to the host,
 * not n × trials distances. The seeding rule is written once, in {@code cluster.KMeansPlusPlus},
 * which draws the random numbers and picks the best trial; a backend without such state gets the
 * host version there, which is the reference for this one. Offered by
 * {@link CentroidIndex#seedingRun}.
 */
public interface SeedingRun extends AutoCloseable {
    /**
     * Point {@code row} is the first centre: every point's distance to it becomes its distance to
     * the nearest centre.
     *
     * @return the sum of those distances (the potential)
     */
    double start(int row);

    /**
     * The D² draws and their evaluation: for each {@code u[t]} in [0, 1), {@code rows[t]} is the
     * first point whose running sum of distances exceeds {@code u[t]} times their total; then as
     * {@link #evaluate} for those rows.
     */
    void drawAndEvaluate(double[] u, int[] rows, double[] potentials);

    /**
     * {@code potentials[t]} = Σ_i min(distance of point i, its squared distance to point
     * {@code rows[t]}): the potential if that point became a centre.
     */
    void evaluate(int[] rows, double[] potentials);

    /** Candidate t of the last draw or evaluation becomes a centre: the distances take it in. */
    void accept(int t);

    @Override
    void close();
}
