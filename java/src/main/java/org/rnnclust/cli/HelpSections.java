package org.rnnclust.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --help} in sections: every option listed under the part of the work it sets (Data,
 * Preprocessing, Model, Training, Refinement, Clustering, Device, Output, General), in the order
 * the command declares it, instead of one alphabetical list of fifty.
 *
 * <p>An option's section is the one {@link #BY_NAME} gives it (the options commands declare
 * themselves, and the training flags that share {@link ModelMixin} with the architecture's), else
 * its mixin's ({@link #BY_MIXIN}), else Options.
 */
public final class HelpSections {
    static final List<String> ORDER = List.of("Options", "Data", "Preprocessing", "Model", "Training", "Refinement",
            "Clustering", "Evaluation", "Spark", "Device", "Output", "General");

    private static final Map<Class<?>, String> BY_MIXIN = Map.ofEntries(
            Map.entry(DataOptions.class, "Data"), Map.entry(ModelInput.class, "Data"), Map.entry(VerifyKeyMixin.class, "Data"),
            Map.entry(PreprocessMixin.class, "Preprocessing"),
            Map.entry(ReservoirMixin.class, "Model"), Map.entry(ModelMixin.class, "Model"),
            Map.entry(RefineMixin.class, "Refinement"), Map.entry(PrivacyMixin.class, "Training"),
            Map.entry(ClusteringMixin.class, "Clustering"), Map.entry(KMeansMixin.class, "Clustering"),
            Map.entry(ClusterInitMixin.class, "Clustering"),
            Map.entry(DeviceMixin.class, "Device"), Map.entry(ProgressMixin.class, "Output"));

    /** By the command's name and the option's ("train --out"), or the option's alone. */
    private static final Map<String, String> BY_NAME = Map.ofEntries(
            // ModelMixin's training flags
            Map.entry("--epochs", "Training"), Map.entry("--batch", "Training"), Map.entry("--lr", "Training"),
            Map.entry("--weight-decay", "Training"), Map.entry("--clip", "Training"),
            Map.entry("--input-dropout", "Training"), Map.entry("--objective", "Training"),
            Map.entry("--temperature", "Training"), Map.entry("--real-fake", "Training"),
            Map.entry("--patience", "Training"),
            // options commands declare themselves
            Map.entry("--sample", "Training"), Map.entry("--resume", "Training"),
            Map.entry("--representation", "Model"), Map.entry("--members", "Model"),
            Map.entry("--out", "Output"), Map.entry("--report", "Output"), Map.entry("--json", "Output"),
            Map.entry("--sign-key", "Output"), Map.entry("--verify-key", "Data"),
            Map.entry("--output", "Output"),
            Map.entry("--chunk-rows", "Data"), Map.entry("--data-dir", "Data"), Map.entry("--datasets", "Data"),
            Map.entry("--input", "Data"), Map.entry("--lengths", "Data"),
            Map.entry("--per-class", "Data"), Map.entry("demo --length", "Data"), Map.entry("--no-train", "Model"),
            Map.entry("--methods", "Evaluation"), Map.entry("--seeds", "Evaluation"), Map.entry("--quick", "Evaluation"),
            Map.entry("--sensitivity", "Evaluation"),
            Map.entry("--trees", "Model"), Map.entry("--depth", "Model"), Map.entry("--max-rows", "Model"),
            Map.entry("--components", "Model"), Map.entry("--variance", "Model"), Map.entry("--max-components", "Model"),
            Map.entry("rnn --cell", "Model"), Map.entry("rnn --bidirectional", "Model"), Map.entry("--weights", "Model"),
            Map.entry("--window", "Clustering"), Map.entry("--dba-iter", "Clustering"), Map.entry("--n-init", "Clustering"),
            Map.entry("--seeding", "Clustering"),
            Map.entry("--max-iter", "Clustering"),
            Map.entry("generate --n", "Data"), Map.entry("generate --length", "Data"),
            Map.entry("--labels-out", "Output"), Map.entry("--format", "Data"), Map.entry("export --format", "Output"),
            Map.entry("--model", "Data"), Map.entry("--combine", "Evaluation"), Map.entry("--prefix", "Model"),
            Map.entry("--seed", "General"), Map.entry("--help", "General"), Map.entry("--version", "General"),
            Map.entry("--verbose", "General"));

    private HelpSections() {}

    /** Renders the option list of {@code cli}'s subcommands in sections. */
    static void install(CommandLine cli) {
        install(cli, Map.of());
    }

    /**
     * The same for another front end's commands (the Spark module's), whose own options are filed
     * by {@code sectionByOption} ("--master" → "Spark", or "train --k" → "Clustering") before the
     * engine's rules; a section name must be one of {@link #ORDER}.
     */
    public static void install(CommandLine cli, Map<String, String> sectionByOption) {
        if (!ORDER.containsAll(sectionByOption.values())) {
            throw new IllegalArgumentException("sections must be among " + ORDER + ": " + sectionByOption.values());
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().options().size() <= 3) continue;  // help, version, verbose: nothing to group
            Map<String, CommandLine.IHelpSectionRenderer> sections = sub.getHelpSectionMap();
            sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
            sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> render(help, sectionByOption));
        }
    }

    /** The section of each option of {@code spec}, in the command's order. */
    static Map<String, List<OptionSpec>> sections(CommandSpec spec) {
        return sections(spec, Map.of());
    }

    /** {@link #sections(CommandSpec)} with a front end's own filing first. */
    public static Map<String, List<OptionSpec>> sections(CommandSpec spec, Map<String, String> sectionByOption) {
        Map<String, String> mixinOf = new LinkedHashMap<>();
        for (CommandSpec mixin : spec.mixins().values()) {
            String section = BY_MIXIN.get(mixin.userObject().getClass());
            if (section == null) continue;
            for (OptionSpec o : mixin.options()) mixinOf.put(o.longestName(), section);
        }
        Map<String, List<OptionSpec>> out = new LinkedHashMap<>();
        for (String s : ORDER) out.put(s, new ArrayList<>());
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String name = o.longestName();
            String section = sectionByOption.getOrDefault(spec.name() + " " + name, sectionByOption.get(name));
            if (section == null) section = BY_NAME.getOrDefault(spec.name() + " " + name, BY_NAME.get(name));
            if (section == null) section = mixinOf.getOrDefault(name, "Options");
            out.get(section).add(o);
        }
        out.values().removeIf(List::isEmpty);
        return out;
    }

    private static String render(Help help, Map<String, String> sectionByOption) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<OptionSpec>> e : sections(help.commandSpec(), sectionByOption).entrySet()) {
            b.append(String.format("%n%s:%n", e.getKey()));
            b.append(help.optionListExcludingGroups(e.getValue(), help.createDefaultLayout(), null,
                    help.parameterLabelRenderer()));
        }
        return b.toString();
    }
}
