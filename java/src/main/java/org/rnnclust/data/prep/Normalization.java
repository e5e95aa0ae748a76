package org.rnnclust.data.prep;

/** How values are scaled before training or clustering. */
public enum Normalization {
    /** Each channel of each series to mean 0, std 1 (the UCR convention). The default. */
    ZNORM,
    /** Each channel to mean 0, std 1 over all series and steps, with statistics fitted on the training data. */
    STANDARDIZE,
    /** Each channel to [0, 1] using the minimum and maximum fitted on the training data. */
    MINMAX,
    /** Values as read. */
    NONE
}
