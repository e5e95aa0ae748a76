package org.rnnclust.spark.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.rnnclust.cli.HelpSections;
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
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return org.rnnclust.cli.Main.execute(cli, args);
    }

    /**
     * Where each option of these commands is listed in their help, where the engine's rules
     * (HelpSections' own table: --out, --chunk-rows, --format, --epochs, ...) do not already say.
     */
    static final Map<String, String> SECTIONS = Map.ofEntries(
            Map.entry("--master", "Spark"), Map.entry("--partitions", "Spark"), Map.entry("--mode", "Spark"),
            Map.entry("--local-steps", "Spark"),
            Map.entry("--data", "Data"), Map.entry("--data-format", "Data"), Map.entry("--id-column", "Data"),
            Map.entry("--sequence-column", "Data"), Map.entry("--label-column", "Data"), Map.entry("--labels", "Data"),
            Map.entry("--header", "Data"), Map.entry("--column", "Data"), Map.entry("--on-bad-row", "Data"),
            Map.entry("--missing", "Preprocessing"), Map.entry("--normalize", "Preprocessing"),
            Map.entry("--model", "Model"), Map.entry("--cell", "Model"), Map.entry("--hidden", "Model"),
            Map.entry("--layers", "Model"), Map.entry("--bidirectional", "Model"), Map.entry("--latent", "Model"),
            Map.entry("--k", "Clustering"), Map.entry("--max-iter", "Clustering"), Map.entry("--tol", "Clustering"),
            Map.entry("--device", "Device"), Map.entry("--deterministic", "Device"));

    /** The command line with the engine's exit codes and its help in sections. */
    static CommandLine commandLine() {
        CommandLine cli = org.rnnclust.cli.Main.withExitCodes(new CommandLine(new Main()));
        HelpSections.install(cli, SECTIONS);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rnnclust-spark " + (v != null ? v : "(development build)")};
        }
    }
}
