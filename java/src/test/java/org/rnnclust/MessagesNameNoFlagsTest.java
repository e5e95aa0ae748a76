package org.rnnclust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Messages below the command line name no flags: they speak of settings in words and attach the
 * {@link Setting}, and the CLI adds the flag of the command that ran. This reads the main sources
 * outside {@code cli} for string literals holding a "--flag".
 */
class MessagesNameNoFlagsTest {
    private static final Path SOURCES = Path.of("java/src/main/java/org/rnnclust");
    private static final Pattern FLAG_IN_LITERAL = Pattern.compile("\"[^\"\\n]*?(--[a-z][a-z0-9-]*)[^\"\\n]*\"");
    /** Options of other programs that the engine passes on (NVRTC, git), not flags of rnnclust. */
    private static final Set<String> OTHER_PROGRAMS = Set.of("--gpu-architecture", "--std", "--short");

    @Test
    void noLiteralBelowTheCliNamesAFlag() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the repository root: " + SOURCES.toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (SOURCES.relativize(f).startsWith("cli")) continue;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = FLAG_IN_LITERAL.matcher(lines.get(i));
                    while (m.find()) {
                        if (!OTHER_PROGRAMS.contains(m.group(1))) found.add(SOURCES.relativize(f) + ":" + (i + 1) + " " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
