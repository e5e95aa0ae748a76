package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.List;
import org.rnnclust.CancelledException;
import org.rnnclust.DeviceUnavailableException;
import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;
import org.rnnclust.InsufficientMemoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code rnnclust} command. Every failure is one line on stderr (a stack trace only with
 * --verbose) and one exit code from the project's table: 0 success, 1 internal error, 2 bad usage or
 * bad input (the line names the file, record or flag), 3 the requested device is unavailable, 4 out
 * of memory, 75 interrupted by a signal after a checkpoint (EX_TEMPFAIL: a batch system may requeue).
 */
@Command(name = "rnnclust",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Unsupervised learning on sequences: recurrent autoencoders, k-means, evaluation.",
        subcommands = {InfoCommand.class, TrainCommand.class, EmbedCommand.class, ClusterCommand.class,
                KMeansCommand.class, PcaKMeansCommand.class, ForestCommand.class, KShapeCommand.class,
                DtwKMeansCommand.class, EvaluateCommand.class, RnnCommand.class, DemoCommand.class,
                BenchCommand.class, GenerateCommand.class, ExportCommand.class, KeygenCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_DEVICE_UNAVAILABLE = 3;
    public static final int EXIT_OUT_OF_MEMORY = 4;
    public static final int EXIT_INTERRUPTED = 75;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and debug logging.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return execute(commandLine(), args);
    }

    /**
     * Runs {@code cli} (whose streams the caller may have set) as {@link #run} does. Other front ends
     * (the Spark module's) run their commands through it, so that every failure gets the same one
     * line and exit code.
     */
    public static int execute(CommandLine cli, String... args) {
        Provenance.started();
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the execution handler and rethrows Errors from execute().
            return heapExhausted(e, cli.getErr(), List.of(args).contains("--verbose"));
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = withExitCodes(new CommandLine(new Main()));
        HelpSections.install(cli);
        return cli;
    }

    /** {@code cli} with this project's handling of bad usage and failures: one line, one exit code of the table. */
    public static CommandLine withExitCodes(CommandLine cli) {
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler(Main::badUsage);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Bad usage: one line and where to find help, not the whole usage text. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String suggestion = "";
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            suggestion = "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        err.println("rnnclust: " + e.getMessage().strip() + suggestion
                + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
        PrintWriter err = cli.getErr();
        if (e instanceof InputException input) {
            err.println("rnnclust: " + e.getMessage() + SettingFlags.hint(input.settings(), cli.getCommandSpec()));
            if (verbose) e.printStackTrace(err);
            err.flush();
            return exitCode(input);
        }
        if (e instanceof CancelledException) {
            err.println("rnnclust: " + e.getMessage());
            if (verbose) e.printStackTrace(err);
            err.flush();
            return EXIT_INTERRUPTED;
        }
        if (e.getCause() instanceof OutOfMemoryError oom) return heapExhausted(oom, err, verbose);
        err.println("rnnclust: internal error: " + e + (verbose ? "" : " (run with --verbose for details)"));
        if (verbose) e.printStackTrace(err);
        err.flush();
        return EXIT_INTERNAL;
    }

    /** The exit code of the table for a problem with the input, the memory or the device. */
    static int exitCode(InputException e) {
        if (e instanceof InsufficientMemoryException) return EXIT_OUT_OF_MEMORY;
        if (e instanceof DeviceUnavailableException) return EXIT_DEVICE_UNAVAILABLE;
        return EXIT_BAD_INPUT;
    }

    /**
     * The heap ran out where no check foresaw it. The stack is unwound by now, so the objects of the
     * failed work are garbage and printing one line is safe.
     */
    private static int heapExhausted(OutOfMemoryError e, PrintWriter err, boolean verbose) {
        err.println("rnnclust: out of memory: the Java heap (at most "
                + HeapBudget.bytes(Runtime.getRuntime().maxMemory()) + ") is exhausted: " + e.getMessage()
                + "; give the JVM more heap (JAVA_OPTS=-Xmx...) or use less data");
        if (verbose) e.printStackTrace(err);
        err.flush();
        return EXIT_OUT_OF_MEMORY;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rnnclust " + (v != null ? v : "(development build)")};
        }
    }
}
