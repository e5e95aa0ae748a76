package org.rnnclust.spark.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnclust.cli.HelpSections;
import picocli.CommandLine;

/**
 * The Spark front end's help reads like the engine's: every option filed under a section (none
 * left in a catch-all "Options"), and examples that parse.
 */
class SparkHelpTest {
    @Test
    void everyCommandsHelpHasSectionsAndExamplesThatParse() {
        Map<String, CommandLine> commands = Main.commandLine().getSubcommands();
        for (Map.Entry<String, CommandLine> c : commands.entrySet()) {
            String name = c.getKey();
            if (name.equals("help")) continue;
            assertFalse(HelpSections.sections(c.getValue().getCommandSpec(), Main.SECTIONS).containsKey("Options"),
                    name + " has options in no section");
            StringWriter out = new StringWriter();
            int rc = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), name, "--help");
            assertEquals(0, rc, name);
            String help = out.toString();
            assertTrue(help.contains("\nGeneral:\n") && help.contains("\nData:\n"), name + ": no sections\n" + help);
            assertTrue(help.contains("\nExamples:\n"), name + " has no examples:\n" + help);
            List<String> examples = help.substring(help.indexOf("\nExamples:\n") + 11).lines()
                    .filter(l -> !l.isBlank()).toList();
            assertFalse(examples.isEmpty(), name);
            for (String example : examples) {
                assertTrue(example.startsWith("  rnnclust-spark " + name + " "), example);
                String[] args = example.strip().substring("rnnclust-spark ".length()).split(" +");
                assertDoesNotThrow(() -> Main.commandLine().parseArgs(args), example);
            }
        }
    }
}
