package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example, the program a library user starts from: this test takes that very
 * code block out of README.md, compiles it against the library alone and runs it.
 */
class ReadmeExampleTest {
    @TempDir Path tmp;

    /** The first ```java block under "## Using it from Java". */
    static String example() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Using it from Java");
        assertTrue(section >= 0, "README.md has no 'Using it from Java' section");
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(section), "no java block in the section");
        return m.group(1);
    }

    @Test
    void theReadmeProgramCompilesAgainstTheLibraryAndRuns() throws Exception {
        String source = example();
        assertFalse(source.contains("org.rnnclust.cli"), "a library user's program needs no class of the CLI");
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "the example declares no public class");
        Path file = tmp.resolve(name.group(1) + ".java");
        Files.writeString(file, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-classpath", libraryClasspath(), "-d", tmp.toString(),
                file.toString());
        assertEquals(0, rc, "the README example does not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));

        Path model = tmp.resolve("cbf.rnnclust");
        String out;
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[] {model.toString()});
        } finally {
            System.setOut(original);
        }
        out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s)test NMI \\d\\.\\d{3}\\R.*"), out);
        assertTrue(out.contains("first test clusters: ["), out);
        assertTrue(Files.size(model) > 0, "the example saves its model");
    }

    /** The main classes and the dependencies, without the test classes: what a user's program sees. */
    private static String libraryClasspath() {
        List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        return String.join(File.pathSeparator, entries.stream().filter(e -> !e.endsWith("test-classes")).toList());
    }
}
