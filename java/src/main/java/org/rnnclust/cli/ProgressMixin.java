package org.rnnclust.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --progress}: how a command shows a fit's progress on stderr. */
final class ProgressMixin {
    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = "auto: a bar per phase when stderr is a terminal, else a timestamped line per epoch; "
                    + "or bar, lines, none. Default: ${DEFAULT-VALUE}.")
    Progress.Mode mode;

    /** The progress of a fit, drawn on the command's stderr; close it before printing results. */
    Progress open(CommandSpec spec, String refineLabel) {
        return new Progress(mode, spec.commandLine().getErr(), refineLabel);
    }
}
