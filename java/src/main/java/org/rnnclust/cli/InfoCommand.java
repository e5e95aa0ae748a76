package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rnnclust.backend.Backends;
import org.rnnclust.backend.cpu.OpenBlas;
import org.rnnclust.backend.cuda.CudaProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What rnnclust will compute on here: Java, CPU, OpenBLAS, CUDA. */
@Command(name = "info", mixinStandardHelpOptions = true,
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
        w.printf("CPU        %d cores available%n", rt.availableProcessors());
        try {
            OpenBlas.load();
            String coretype = System.getenv("OPENBLAS_CORETYPE");
            w.printf("OpenBLAS   %s (bundled by the JavaCPP presets), single-threaded per worker thread, kernel %s%n",
                    OpenBlas.VERSION,
                    coretype != null ? coretype + " (OPENBLAS_CORETYPE)"
                            : "chosen at run time for this CPU (build default " + OpenBlas.buildTarget() + ")");
        } catch (UnsatisfiedLinkError e) {
            w.printf("OpenBLAS   unavailable: %s%n", e.getMessage());
        }
        w.printf("Native     %s%n", org.rnnclust.backend.cpu.NativeCpu.status());
        CudaProbe.Result cuda = CudaProbe.probe();
        if (cuda.runtimeVersion() > 0) {
            w.printf("CUDA       runtime %s, driver %s%n", CudaProbe.version(cuda.runtimeVersion()),
                    CudaProbe.version(cuda.driverVersion()));
        }
        for (CudaProbe.Device d : cuda.devices()) w.printf("GPU        %s%n", d.describe());
        String why = Backends.cudaUnavailableReason();
        w.printf("CUDA       %s%n", why == null ? "available" : "unavailable: " + why);
        w.flush();
        return Main.EXIT_OK;
    }
}
