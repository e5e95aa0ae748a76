package org.rnnclust.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;

/**
 * What each executor JVM keeps between tasks: the broadcast model, read once per JVM (the last
 * few are kept), and the
 * opened devices. A device is opened lazily the first time a task needs it and handed back when the
 * task ends, so a JVM running T tasks at once holds at most T of them and reuses them for every
 * later task (opening a GPU device or loading the native library once, not per partition). A
 * device is used by one task at a time: the engine's backends are not shared between threads.
 */
final class ExecutorBackends {
    /** The last few broadcast models (a long-lived executor serves many jobs; each model is a few MB). */
    private static final int MODELS_KEPT = 4;
    private static final Map<Long, ClusteringModel> MODELS = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ClusteringModel> eldest) {
            return size() > MODELS_KEPT;
        }
    };
    private static final Map<String, Deque<Device>> IDLE = new HashMap<>();
    private static final List<Device> OPENED = new ArrayList<>();
    /** Each device's training networks, by their shape: kept so that later steps reuse their buffers. */
    private static final Map<Device, Map<org.rnnclust.nn.AutoencoderSpec, org.rnnclust.nn.SequenceAutoencoder>> NETWORKS =
            new java.util.IdentityHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorBackends::closeAll, "rnnclust-close-devices"));
    }

    private ExecutorBackends() {}

    /** The model of a broadcast, read from its bytes the first time this JVM needs it. */
    static synchronized ClusteringModel model(long broadcastId, byte[] bytes) {
        ClusteringModel m = MODELS.get(broadcastId);
        if (m != null) return m;
        try {
            Path file = Files.createTempFile("rnnclust-model-", ".rnnclust");
            try {
                Files.write(file, bytes);
                m = ClusteringModel.load(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the broadcast model in " + System.getProperty("java.io.tmpdir"), e);
        }
        MODELS.put(broadcastId, m);
        return m;
    }

    /**
     * The device a task computes on. {@code auto}: the GPU that Spark's resource scheduling gave the
     * task ({@code spark.task.resource.gpu.amount}), as cuda:N, else the CPU. The CPU gets as many
     * threads as the task has cores ({@code spark.task.cpus}).
     */
    static String deviceFor(String requested, TaskContext task) {
        if (!requested.equals("auto")) return requested;
        if (task != null) {
            ResourceInformation gpu = task.resources().get("gpu").getOrElse(() -> null);
            if (gpu != null && gpu.addresses().length > 0) return "cuda:" + gpu.addresses()[0];
        }
        return "cpu";
    }

    /** A device for this task (an idle one of that name, or a new one); give it back with {@link #release}. */
    static Device borrow(String name, int cpuThreads, boolean deterministic) {
        String key = key(name, cpuThreads, deterministic);
        synchronized (ExecutorBackends.class) {
            Deque<Device> idle = IDLE.get(key);
            if (idle != null && !idle.isEmpty()) return idle.pop();
        }
        Device d = Device.open(new DeviceOptions(name, cpuThreads, false, 0, true, deterministic));
        synchronized (ExecutorBackends.class) {
            OPENED.add(d);
        }
        return d;
    }

    static synchronized void release(String name, int cpuThreads, boolean deterministic, Device d) {
        IDLE.computeIfAbsent(key(name, cpuThreads, deterministic), k -> new ArrayDeque<>()).push(d);
    }

    private static String key(String name, int cpuThreads, boolean deterministic) {
        return name + "/" + cpuThreads + (deterministic ? "/deterministic" : "");
    }

    /**
     * A network of {@code spec} on {@code device}, for the task that borrowed the device: the same
     * one for every step of every task that computes on it, so that a step reuses the buffers of the
     * last (sized to the largest batch seen) instead of allocating them anew. Its weights are
     * whatever the last step set: a caller sets them first.
     */
    static synchronized org.rnnclust.nn.SequenceAutoencoder network(Device device, org.rnnclust.nn.AutoencoderSpec spec) {
        return NETWORKS.computeIfAbsent(device, d -> new HashMap<>())
                .computeIfAbsent(spec, s -> new org.rnnclust.nn.SequenceAutoencoder(device.backend().tensorOps(), s, 0));
    }

    /** How many devices this JVM has opened (tests check the reuse). */
    static synchronized int openedDevices() {
        return OPENED.size();
    }

    private static synchronized void closeAll() {
        for (Map<org.rnnclust.nn.AutoencoderSpec, org.rnnclust.nn.SequenceAutoencoder> nets : NETWORKS.values()) {
            for (org.rnnclust.nn.SequenceAutoencoder net : nets.values()) {
                try {
                    net.close();
                } catch (RuntimeException ignored) {
                    // the JVM is exiting, as below
                }
            }
        }
        NETWORKS.clear();
        for (Device d : OPENED) {
            try {
                d.close();
            } catch (RuntimeException ignored) {
                // the JVM is exiting; a device that fails to close has nothing left to lose
            }
        }
        OPENED.clear();
        IDLE.clear();
    }
}
