package org.rnnclust.cli;

import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;
import picocli.CommandLine.Option;

/** --device and --threads, on every command that computes. */
final class DeviceMixin {
    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "auto, cpu, cuda or cuda:N. auto uses CUDA when it is available, else the CPU. "
                    + "Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads; 0 = all cores. Default: ${DEFAULT-VALUE}.")
    int threads;

    Backend open() {
        return Backends.open(device, threads);
    }
}
