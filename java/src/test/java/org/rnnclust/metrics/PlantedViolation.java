package org.rnnclust.metrics;

/**
 * A deliberate break of the dependency rules, in test code only: metrics may use nothing of the
 * engine but the root package, yet this class names the CLI and the CPU backend. ArchitectureTest
 * checks that its rules object to it.
 */
public final class PlantedViolation {
    private PlantedViolation() {}

    static Object uses() {
        return java.util.List.of(org.rnnclust.cli.Main.class, org.rnnclust.backend.cpu.CpuBackend.class);
    }
}
