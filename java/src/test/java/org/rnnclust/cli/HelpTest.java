package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * --help: whole one-line summaries at the top level; every command's options described, in
 * sections, with examples that parse; a mistyped option answered with a suggestion on one line.
 */
class HelpTest {
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new java.util.LinkedHashMap<>(Main.commandLine().getSubcommands());
        all.remove("help");
        return all;
    }

    @Test
    void theTopLevelListGivesEveryCommandAWholeLine() {
        CliRun run = CliRun.of("--help");
        String list = run.out().substring(run.out().indexOf("Commands:"));
        for (String name : commands().keySet()) {
            String line = list.lines().filter(l -> l.startsWith("  " + name + " ")).findFirst().orElseThrow();
            assertTrue(line.strip().endsWith("."), "cut or unended: " + line);
        }
        // No continuation lines: each command's summary fits on its line.
        assertTrue(list.lines().skip(1).allMatch(l -> l.startsWith("  ") && !l.startsWith("   ")), list);
    }

    @Test
    void everyOptionIsDescribedAndFiledUnderOneSection() {
        for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
            CommandSpec spec = c.getValue().getCommandSpec();
            List<OptionSpec> visible = spec.options().stream().filter(o -> !o.hidden()).toList();
            for (OptionSpec o : visible) {
                assertTrue(String.join(" ", o.description()).strip().length() > 3,
                        c.getKey() + " " + o.longestName() + " has no description");
            }
            Map<String, List<OptionSpec>> sections = HelpSections.sections(spec);
            assertEquals(visible.size(), sections.values().stream().mapToInt(List::size).sum(), c.getKey());
            assertTrue(HelpSections.ORDER.containsAll(sections.keySet()), sections.keySet().toString());
        }
        // train's options all have a named section.
        assertFalse(HelpSections.sections(commands().get("train").getCommandSpec()).containsKey("Options"));
    }

    @Test
    void everyCommandsHelpHasSectionsAndExamplesThatParse() {
        for (String name : commands().keySet()) {
            CliRun run = CliRun.of(name, "--help");
            assertEquals(0, run.exitCode(), name);
            String help = run.out();
            assertTrue(help.contains("\nExamples:\n"), name + " has no examples:\n" + help);
            if (commands().get(name).getCommandSpec().options().size() > 3) {
                assertTrue(help.contains("\nGeneral:\n"), name + ": no sections\n" + help);
            }
            String examples = help.substring(help.indexOf("\nExamples:\n") + 11);
            List<String> lines = examples.lines().filter(l -> !l.isBlank()).toList();
            assertFalse(lines.isEmpty(), name);
            // One example a line: a wrapped one would not parse.
            assertTrue(lines.stream().allMatch(l -> l.startsWith("  rnnclust " + name)), examples);
            for (String example : lines) {
                String[] args = example.strip().substring("rnnclust ".length()).split(" +");
                assertDoesNotThrow(() -> Main.commandLine().parseArgs(args), example);
            }
        }
        String train = CliRun.of("train", "--help").out();
        for (String section : List.of("Data:", "Preprocessing:", "Model:", "Training:", "Refinement:", "Clustering:",
                "Device:", "Output:")) {
            assertTrue(train.contains("\n" + section + "\n"), section);
        }
        assertTrue(train.indexOf("  --epochs") > train.indexOf("\nTraining:\n"), "--epochs is a training flag");
        assertTrue(train.lines().anyMatch(l -> l.equals("Usage: rnnclust train [OPTIONS]")), "the synopsis lists every option");
    }

    @Test
    void aMistypedOptionGetsItsSuggestionOnOneLine() {
        CliRun run = CliRun.of("train", "--data", "x.npy", "--epoch", "3");
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("did you mean --epochs"), run.err());
    }
}
