/**
 * HTML reports with their plots (loss, embeddings, cluster means, confusion matrix, an evaluation
 * bar chart), drawn with XChart and written all at once.
 */
package org.rnnclust.report;
