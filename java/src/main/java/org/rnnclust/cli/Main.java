package org.rnnclust.cli;

import java.io.PrintWriter;
import org.rnnclust.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code rnnclust} command. Exit codes: 0 success, 2 bad usage or bad input (one line on stderr
 * naming the file, record and problem), 1 internal error. A stack trace only with --verbose.
 */
@Command(name = "rnnclust",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Unsupervised learning on sequences: recurrent autoencoders, k-means, evaluation.",
        subcommands = {InfoCommand.class, TrainCommand.class, EmbedCommand.class, ClusterCommand.class,
                KMeansCommand.class, PcaKMeansCommand.class, ForestCommand.class,
                EvaluateCommand.class, RnnCommand.class, DemoCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and debug logging.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler(Main::badUsage);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Bad usage: one line and where to find help, not the whole usage text. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("rnnclust: " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
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
            return EXIT_BAD_INPUT;
        }
        if (e.getCause() instanceof OutOfMemoryError) {
            err.println("rnnclust: out of Java heap memory: give the JVM more (JAVA_OPTS=-Xmx...) or use less data");
        } else {
            err.println("rnnclust: internal error: " + e + (verbose ? "" : " (run with --verbose for details)"));
        }
        if (verbose) e.printStackTrace(err);
        err.flush();
        return EXIT_INTERNAL;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rnnclust " + (v != null ? v : "(development build)")};
        }
    }
}
