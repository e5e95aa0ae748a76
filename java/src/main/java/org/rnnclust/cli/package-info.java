/**
 * The {@code rnnclust} command line (picocli): flags in; the library's calls; tables and files
 * out. It holds no pipeline of its own: every command calls {@code org.rnnclust.api} (or
 * {@code eval}, {@code report}, {@code bench}), and it names the flags of the settings the library
 * speaks of in words ({@link org.rnnclust.Setting}).
 */
package org.rnnclust.cli;
