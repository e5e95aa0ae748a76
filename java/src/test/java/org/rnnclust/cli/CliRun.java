package org.rnnclust.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process and keeps its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = Main.execute(cli, args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * Runs the CLI with stdout and stderr on one writer, as a terminal shows them (bars and results
     * interleaved); returns the exit code.
     */
    static int merged(StringWriter both, String... args) {
        PrintWriter w = new PrintWriter(both, true);
        CommandLine cli = Main.commandLine();
        cli.setOut(w);
        cli.setErr(w);
        return Main.execute(cli, args);
    }

    /** Non-empty stderr lines. */
    long errLines() {
        return err.lines().filter(l -> !l.isBlank()).count();
    }
}
