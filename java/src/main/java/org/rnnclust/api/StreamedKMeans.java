package org.rnnclust.api;

import java.util.function.Consumer;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.StreamingKMeans;
import org.rnnclust.data.PaddedSequences;

/**
 * Mini-batch k-means on the flattened sequences of data read a chunk at a time, for data larger
 * than memory ({@link StreamingKMeans}: a seeding sample, then epochs of mini-batch steps, each
 * drawn from the whole data when it can be read anywhere, else a pass in order). The heap holds
 * one chunk, one batch, the seeding sample (3 × the batch size), the centres, and an index per
 * sequence when the data are read anywhere. {@link #assign} then labels the data chunk by chunk, in one more pass
 * that the caller reads and writes as it goes.
 */
public final class StreamedKMeans {
    /** Preprocessed sequences of one row size that can be read more than once, a chunk at a time, in order. */
    public interface Sequences {
        /** How many sequences a pass gives (known before the first is read). */
        int count();

        /** Steps × channels of every sequence. */
        int rowSize();

        /** One pass over all the sequences. */
        void pass(Consumer<PaddedSequences> chunk);

        /**
         * Whether {@link #read} fetches sequences from anywhere (a file that can seek): batches are
         * then drawn from all of them each epoch, not a chunk at a time.
         */
        default boolean randomAccess() {
            return false;
        }

        /** The sequences at the ascending indices {@code rows}. */
        default PaddedSequences read(int[] rows) {
            throw new UnsupportedOperationException("these sequences are read front to back only");
        }
    }

    private final Device device;
    private final StreamingKMeans.Fit fit;

    private StreamedKMeans(Device device, StreamingKMeans.Fit fit) {
        this.device = device;
        this.fit = fit;
    }

    /**
     * Fits k centres with {@code settings} (whose batch size must be positive: this is mini-batch
     * k-means; nInit is the seedings tried on the sample, maxIter the most passes).
     */
    public static StreamedKMeans fit(Device device, Sequences data, int k, KMeansSettings settings, long seed) {
        int d = data.rowSize();
        StreamingKMeans.Points points = new StreamingKMeans.Points() {
            @Override public int count() { return data.count(); }

            @Override public int dimensions() { return d; }

            @Override
            public void pass(StreamingKMeans.Chunk chunk) {
                data.pass(sequences -> chunk.accept(checked(sequences).values(), sequences.n()));
            }

            @Override public boolean randomAccess() { return data.randomAccess(); }

            @Override
            public void read(int[] rows, float[] out) {
                System.arraycopy(checked(data.read(rows)).values(), 0, out, 0, rows.length * d);
            }

            private PaddedSequences checked(PaddedSequences sequences) {
                if (sequences.rowSize() != d) {
                    throw new IllegalStateException("sequences of " + sequences.rowSize() + " values, "
                            + data.rowSize() + " were announced");
                }
                return sequences;
            }
        };
        return new StreamedKMeans(device, new StreamingKMeans(settings.params(k, seed)).fit(device.backend(), points));
    }

    /** The nearest centre of each sequence of {@code chunk}, and the sum of their squared distances. */
    public Assignment assign(PaddedSequences chunk) {
        KMeansModel.Assignment a = fit.assign(device.backend(), chunk.values(), chunk.n());
        return new Assignment(a.labels(), a.inertia());
    }

    public int clusters() {
        return fit.k();
    }

    /** The mini-batch steps taken. */
    public int iterations() {
        return fit.steps();
    }

    /** The passes over the data the steps read (the last maybe in part). */
    public int epochs() {
        return fit.epochs();
    }

    public boolean converged() {
        return fit.converged();
    }

    /** The sequences the seeds were chosen on. */
    public int sampleSize() {
        return fit.sampleSize();
    }

    /** The centres, k × rowSize, row-major. */
    public float[] centroids() {
        return fit.centroids().clone();
    }
}
