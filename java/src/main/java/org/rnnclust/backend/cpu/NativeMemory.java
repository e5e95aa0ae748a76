package org.rnnclust.backend.cpu;

import java.lang.management.ManagementFactory;
import org.bytedeco.javacpp.Pointer;
import org.rnnclust.HeapBudget;
import org.rnnclust.backend.BufferMemory;

/**
 * What the CPU backend's buffers ({@link CpuBuffer}: JavaCPP memory outside the Java heap) can
 * still take. JavaCPP refuses an allocation that would take its native total over its maximum
 * (by default the JVM's maximum heap) or that finds the process's resident memory over its
 * physical maximum (by default twice that); and no process gets more than the machine's (or the
 * container's) physical memory. The free amount is the least of the three room lefts.
 */
final class NativeMemory {
    private NativeMemory() {}

    static BufferMemory now() {
        Pointer.deallocateReferences();  // buffers already collected but not yet freed
        long tracked = Pointer.maxBytes() > 0 ? Pointer.maxBytes() - Pointer.totalBytes() : Long.MAX_VALUE;
        long resident = Pointer.physicalBytes();
        long physicalLimit = Pointer.maxPhysicalBytes() > 0 && resident > 0
                ? Pointer.maxPhysicalBytes() - resident : Long.MAX_VALUE;
        long machine = machineBytes();
        long machineLeft = machine > 0 && resident > 0 ? machine - resident : Long.MAX_VALUE;
        long free = Math.max(0, Math.min(tracked, Math.min(physicalLimit, machineLeft)));
        // JavaCPP's limits follow -Xmx; past the machine's memory a larger heap does not help.
        String more = free == Math.max(0, machineLeft) ? "" : HeapBudget.MORE_HEAP
                + ", which also bounds the native buffers";
        return new BufferMemory("native memory", free, more);
    }

    /** The physical memory of the machine, or of the container the JVM runs in; 0 when unknown. */
    private static long machineBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
