package org.rnnclust.backend.cuda;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA graphs behind {@link CudaTensorOps#captured}: a body of ops is recorded into a graph once
 * and replayed as one launch. Each call first runs the body as a dry run in which every op only
 * {@link #record}s what it would issue (kernel, launch shape, arguments, GEMM parameters, copy
 * ranges) — a few microseconds of Java. A record seen for the first time runs op by op (a warm-up,
 * as CUDA graph capture wants); seen a second time in a row it is captured; after that the stored
 * graph is replayed as long as the record stays the same. A recurrent layer's time loop (a GEMM and
 * a cell kernel per step) then costs one graph launch instead of 2·T launches of 4–8 µs from Java.
 * {@code -Drnnclust.cuda.graphs=false} runs bodies op by op. A body whose key names all it issues
 * ({@link #runKeyed}) skips the dry run once its graph exists.
 */
final class CudaGraphCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CudaGraphCache.class);
    /** Graphs kept; the least recently used beyond this is destroyed. */
    private static final int MAX_GRAPHS = 64;
    private static final boolean GRAPHS = !"false".equals(System.getProperty("rnnclust.cuda.graphs"));

    /** What the ops do now: issue themselves, only record (a dry run), or record and issue (a capture). */
    private enum Mode { RUN, TRACE, CAPTURE }

    private record Graph(long[] trace, CUgraphExec_st exec) {}

    private final CudaContext ctx;
    private final CUstream_st stream;
    private Mode mode = Mode.RUN;
    private long[] trace = new long[1024];
    private int traceLength;
    private boolean graphsBroken;
    private boolean verifyKeys = Boolean.getBoolean("rnnclust.cuda.graphs.verify");

    private final LinkedHashMap<Object, Graph> graphs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Graph> eldest) {
            if (size() <= MAX_GRAPHS) return false;
            destroy(eldest.getValue());
            return true;
        }
    };

    /** Graphs of the ops issued on {@code stream}. */
    CudaGraphCache(CudaContext ctx, CUstream_st stream) {
        this.ctx = ctx;
        this.stream = stream;
    }

    /** Runs {@code body} as {@link CudaTensorOps#captured} describes: op by op, captured, or replayed. */
    void run(Object key, Runnable body) {
        if (!GRAPHS || graphsBroken || mode != Mode.RUN) {
            body.run();
            return;
        }
        ctx.bind();
        // Dry run: what would the body issue now?
        traceLength = 0;
        mode = Mode.TRACE;
        try {
            body.run();
        } finally {
            mode = Mode.RUN;
        }
        long[] now = Arrays.copyOf(trace, traceLength);
        Graph g = graphs.get(key);
        if (g == null || !Arrays.equals(g.trace(), now)) {
            // First sighting of this body: run it op by op. That also warms up what must not first
            // happen inside a capture (lazy kernel loading, cuBLAS's choice of kernels), and a body
            // seen only once is never captured.
            if (g != null) destroy(graphs.remove(key));
            graphs.put(key, new Graph(now, null));
            body.run();
            return;
        }
        if (g.exec() == null) {
            g = capture(body, now);
            if (g == null) {
                graphs.remove(key);
                body.run();
                return;
            }
            graphs.put(key, g);
        }
        Cuda.check("cudaGraphLaunch", cudart.cudaGraphLaunch(g.exec(), stream));
    }

    /**
     * Runs a body that {@code key} determines ({@link CudaTensorOps#capturedByKey}): a graph
     * captured for an equal key is launched at once, without the dry run of {@link #run}, which
     * costs as much Java as the ops it describes; a key seen for the first time, or not yet
     * captured, goes through {@link #run}, which then keeps the graph under it. Safe as long as the
     * caller's key names everything the body issues (its buffers by identity, offsets, sizes,
     * scalars). {@code -Drnnclust.cuda.graphs.verify=true} checks that: every replay traces the
     * body again and fails when it would issue other ops than the graph holds.
     */
    void runKeyed(Object key, Runnable body) {
        Graph g = GRAPHS && !graphsBroken && mode == Mode.RUN ? graphs.get(key) : null;
        if (g == null || g.exec() == null) {
            run(key, body);
            return;
        }
        if (verifyKeys) {
            ctx.bind();
            traceLength = 0;
            mode = Mode.TRACE;
            try {
                body.run();
            } finally {
                mode = Mode.RUN;
            }
            if (!Arrays.equals(g.trace(), Arrays.copyOf(trace, traceLength))) {
                throw new IllegalStateException("a captured body issued other ops than its key's graph holds: key "
                        + key + " does not determine its body");
            }
        }
        ctx.bind();
        Cuda.check("cudaGraphLaunch", cudart.cudaGraphLaunch(g.exec(), stream));
    }

    /** Whether {@link #runKeyed} checks every replay against a fresh trace (tests turn it on). */
    void verifyKeys(boolean on) {
        verifyKeys = on;
    }

    /** Captures the body into an instantiated graph; null (and graphs off from now on) when CUDA refuses. */
    private Graph capture(Runnable body, long[] expected) {
        CUgraph_st graph = new CUgraph_st();
        mode = Mode.CAPTURE;
        traceLength = 0;
        boolean capturing = false;
        try {
            Cuda.check("cudaStreamBeginCapture", cudart.cudaStreamBeginCapture(stream, cudart.cudaStreamCaptureModeThreadLocal));
            capturing = true;
            body.run();
            capturing = false;
            Cuda.check("cudaStreamEndCapture", cudart.cudaStreamEndCapture(stream, graph));
            if (!Arrays.equals(expected, Arrays.copyOf(trace, traceLength))) {
                throw new IllegalStateException("a captured body issued different ops in its dry run and its capture");
            }
            CUgraphExec_st exec = new CUgraphExec_st();
            Cuda.check("cudaGraphInstantiate", cudart.cudaGraphInstantiate(exec, graph, 0L));
            return new Graph(expected, exec);
        } catch (CudaException e) {
            if (capturing) cudart.cudaStreamEndCapture(stream, graph);
            cudart.cudaGetLastError();
            graphsBroken = true;
            LOG.warn("CUDA graph capture failed ({}); running op by op from now on", e.getMessage());
            return null;
        } catch (RuntimeException e) {
            if (capturing) cudart.cudaStreamEndCapture(stream, graph);
            throw e;
        } finally {
            mode = Mode.RUN;
            if (!graph.isNull()) cudart.cudaGraphDestroy(graph);
        }
    }

    private static void destroy(Graph g) {
        if (g != null && g.exec() != null && !g.exec().isNull()) cudart.cudaGraphExecDestroy(g.exec());
    }

    /** Number of graphs held (tests). */
    int size() {
        return graphs.size();
    }

    /** Whether ops issue themselves now (neither a dry run nor a capture is in progress). */
    boolean running() {
        return mode == Mode.RUN;
    }

    /**
     * In a dry run, appends an operation's description to the trace and returns true (the caller
     * then issues nothing); while capturing, appends it and returns false (the caller issues it).
     */
    boolean record(long... op) {
        if (mode == Mode.RUN) return false;
        if (traceLength + op.length + 1 > trace.length) trace = Arrays.copyOf(trace, 2 * (traceLength + op.length + 1));
        trace[traceLength++] = op.length;
        System.arraycopy(op, 0, trace, traceLength, op.length);
        traceLength += op.length;
        return mode == Mode.TRACE;
    }

    /** Refuses {@code what} inside a captured body: it would allocate, wait for the device or differ between runs. */
    void requireRunning(String what) {
        if (mode != Mode.RUN) throw new IllegalStateException(what + " inside TensorOps.captured: not allowed");
    }

    /** Destroys every graph held; the stream must be idle. */
    @Override
    public void close() {
        for (Graph g : graphs.values()) destroy(g);
        graphs.clear();
    }
}
