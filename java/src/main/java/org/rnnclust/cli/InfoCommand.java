package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What rnnclust will compute on here: Java, CPU, OpenBLAS, CUDA. */
@Command(name = "info", mixinStandardHelpOptions = true,
        header = "Show Java, CPU cores, OpenBLAS and CUDA availability.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust info"},
        description = "Show Java, CPU cores, OpenBLAS and CUDA availability.")
final class InfoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        w.printf("rnnclust   %s%n", new Main.Version().getVersion()[0].replace("rnnclust ", ""));
        w.printf("Java       %s (%s), max heap %d MiB%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), rt.maxMemory() >> 20);
        w.printf("OS         %s %s (%s)%n", System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"));
        int threads = Device.defaultThreads();
        w.printf("CPU        %d cores available%s%n", rt.availableProcessors(), threads == rt.availableProcessors() ? ""
                : "; --threads 0 uses " + threads + " (SLURM_CPUS_PER_TASK)");
        for (Map.Entry<String, String> line : Device.environment()) w.printf("%-11s%s%n", line.getKey(), line.getValue());
        w.flush();
        return Main.EXIT_OK;
    }
}
