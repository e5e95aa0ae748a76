package org.rnnclust.data.prep;

/** What to do with missing values (NaN in memory; '?', 'NaN' or an empty field in files). */
public enum MissingValues {
    /** Stop with a message naming the file and record. The default: silent repair hides bad data. */
    REFUSE,
    /** Linear interpolation along time within each channel; leading/trailing gaps take the nearest value. */
    INTERPOLATE
}
