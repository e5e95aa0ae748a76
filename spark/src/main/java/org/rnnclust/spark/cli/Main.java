package org.rnnclust.spark.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit --class org.rnnclust.spark.cli.Main rnnclust-spark.jar convert|embed|cluster|kmeans ...}:
 * the single-machine commands' flags, on tables that Spark reads and writes. Failures end as the
 * single-machine commands' do: one line, and an exit code of the same table.
 */
@Command(name = "rnnclust-spark", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "rnnclust on Apache Spark: convert files to Parquet, train the autoencoder, embed and assign sequences, k-means on embeddings.",
        subcommands = {ConvertCommand.class, TrainCommand.class, EmbedCommand.class, ClusterCommand.class, KMeansCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and debug logging.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** {@link #run(String...)} printing to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = org.rnnclust.cli.Main.withExitCodes(new CommandLine(new Main()));
        cli.setOut(out);
        cli.setErr(err);
        return org.rnnclust.cli.Main.execute(cli, args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rnnclust-spark " + (v != null ? v : "(development build)")};
        }
    }
}
