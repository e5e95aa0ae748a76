package org.rnnclust.data.prep;

/** How sequences of different lengths are brought to one tensor. */
public enum LengthPolicy {
    /** Pad with zeros to the longest and keep each length (a mask). The default. */
    PAD,
    /** Resample every sequence to a fixed number of steps by linear interpolation. */
    RESAMPLE
}
