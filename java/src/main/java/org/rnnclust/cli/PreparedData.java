package org.rnnclust.cli;

import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;

/**
 * Training (and optional test) data after preprocessing, padded to one common length so that a
 * model fitted on one applies to the other. {@code scored} is what a command assigns, scores and
 * writes: the test set when there is one, else the training set.
 */
record PreparedData(Dataset trainRaw, Dataset testRaw, Preprocessor preprocessor,
                    PaddedSequences train, PaddedSequences test) {

    static PreparedData prepare(Dataset train, Dataset test, PreprocessOptions options) {
        Preprocessor prep = Preprocessor.fit(options, train);
        Dataset trainP = prep.apply(train);
        Dataset testP = test == null ? null : prep.apply(test);
        int steps = Math.max(trainP.maxLength(), testP == null ? 0 : testP.maxLength());
        return new PreparedData(train, test, prep, PaddedSequences.of(trainP, steps),
                testP == null ? null : PaddedSequences.of(testP, steps));
    }

    Dataset scoredRaw() {
        return testRaw != null ? testRaw : trainRaw;
    }

    PaddedSequences scored() {
        return test != null ? test : train;
    }
}
