package org.rnnclust.backend;

/**
 * The memory a {@link TensorOps} allocates its buffers from, as it stands now: what a plan of the
 * buffers a network needs is checked against before they are allocated.
 *
 * @param name      the memory in words, for messages: "native memory", "GPU memory of cuda:0"
 * @param freeBytes what new buffers can still take
 * @param more      how to get more of it, in words ("give the JVM more heap (...)"), or "" when
 *                  nothing in this process's reach gives more
 */
public record BufferMemory(String name, long freeBytes, String more) {}
