package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.Setting;
import picocli.CommandLine;

/** Every setting the library can point at has a flag that some command really has. */
class SettingFlagsTest {
    @Test
    void everySettingNamesAFlagThatACommandHas() {
        CommandLine root = Main.commandLine();
        for (Setting s : Setting.values()) {
            String flag = SettingFlags.flag(s);
            boolean found = root.getSubcommands().values().stream()
                    .anyMatch(c -> c.getCommandSpec().findOption(flag) != null);
            assertTrue(found, s + " maps to " + flag + ", which no command has");
        }
    }

    @Test
    void hintNamesOnlyTheFlagsOfTheCommandThatRan() {
        CommandLine root = Main.commandLine();
        var train = root.getSubcommands().get("train").getCommandSpec();
        var evaluate = root.getSubcommands().get("evaluate").getCommandSpec();
        List<Setting> diverged = List.of(Setting.LEARNING_RATE, Setting.CLIP_NORM);
        assertEquals(" (flags: --lr, --clip)", SettingFlags.hint(diverged, train));
        assertEquals("", SettingFlags.hint(diverged, evaluate));
        assertEquals(" (flag: --device)", SettingFlags.hint(List.of(Setting.DEVICE), evaluate));
    }
}
