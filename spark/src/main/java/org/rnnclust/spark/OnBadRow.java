package org.rnnclust.spark;

/** What a job does with a row that is not a sequence the model can read ({@code --on-bad-row}). */
public enum OnBadRow {
    /** Fail the job with one line naming the row's id (the default). */
    FAIL,
    /** Leave the row out of the output, count it, and report the count and the first few. */
    SKIP
}
