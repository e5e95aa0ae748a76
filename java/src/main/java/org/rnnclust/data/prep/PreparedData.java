package org.rnnclust.data.prep;

import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;

/**
 * Training (and optional test) data after preprocessing, padded to one common length so that a
 * model fitted on one applies to the other in the same shape. {@code scored} is what a job
 * assigns, scores and writes: the test set when there is one, else the training set.
 *
 * @param trainRaw     the training data as read (labels, names)
 * @param testRaw      the test data as read, or null
 * @param preprocessor fitted on the training data, applied to both
 * @param train        the preprocessed training sequences
 * @param test         the preprocessed test sequences, or null
 */
public record PreparedData(Dataset trainRaw, Dataset testRaw, Preprocessor preprocessor,
                           PaddedSequences train, PaddedSequences test) {

    /** Fits {@code options} on {@code train}, applies them to both sets, pads both to the longer. */
    public static PreparedData prepare(Dataset train, Dataset test, PreprocessOptions options) {
        Preprocessor prep = Preprocessor.fit(options, train);
        Dataset trainP = prep.apply(train);
        Dataset testP = test == null ? null : prep.apply(test);
        int steps = Math.max(trainP.maxLength(), testP == null ? 0 : testP.maxLength());
        return new PreparedData(train, test, prep, PaddedSequences.of(trainP, steps),
                testP == null ? null : PaddedSequences.of(testP, steps));
    }

    public Dataset scoredRaw() {
        return testRaw != null ? testRaw : trainRaw;
    }

    public PaddedSequences scored() {
        return test != null ? test : train;
    }
}
