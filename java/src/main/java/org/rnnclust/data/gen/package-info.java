/**
 * Generated labelled data sets of the literature (Cylinder-Bell-Funnel, Synthetic Control), for
 * demonstrations and tests.
 */
package org.rnnclust.data.gen;
