package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Java launch tables ({@link RnnKernels} against kernels/rnn.cu, {@link PersistentRnn.Kernel}
 * against kernels/rnn_persist.cu), without a GPU: every kernel
 * in the source has an entry and every entry a kernel, with the same parameter count and types;
 * and {@link KernelArgs} refuses launches whose arguments do not fit the signature.
 */
@Tag("gpu")
class RnnKernelsTest {
    private static final Pattern KERNEL = Pattern.compile("RNNCLUST_KERNEL\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");

    /** C parameter type to signature letter. */
    static char letter(String param) {
        String p = param.replaceAll("__restrict__|const", " ").trim();
        if (p.contains("*")) return 'p';
        String type = p.substring(0, p.lastIndexOf(' ')).trim().replaceAll("\\s+", " ");
        return switch (type) {
            case "int" -> 'i';
            case "long long" -> 'l';
            case "float" -> 'f';
            case "double" -> 'd';
            default -> throw new AssertionError("parameter type not in the table: " + param);
        };
    }

    static Map<String, String> sourceSignatures() throws IOException {
        return sourceSignatures("kernels/rnn.cu");
    }

    static Map<String, String> sourceSignatures(String file) throws IOException {
        String src = Files.readString(Path.of(file));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = KERNEL.matcher(src);
        while (m.find()) {
            String sig = Arrays.stream(m.group(2).split(",")).map(RnnKernelsTest::letter)
                    .map(String::valueOf).collect(Collectors.joining());
            out.put(m.group(1), sig);
        }
        return out;
    }

    @Test
    void launchTableMatchesTheKernelSource() throws IOException {
        Map<String, String> source = sourceSignatures();
        assertTrue(source.size() >= 10, "kernels found in rnn.cu: " + source.keySet());
        Map<String, String> table = new LinkedHashMap<>();
        for (RnnKernels k : RnnKernels.values()) table.put(k.name(), k.signature);
        assertEquals(source.keySet(), table.keySet(), "kernels in rnn.cu vs RnnKernels");
        for (String k : source.keySet()) assertEquals(source.get(k), table.get(k), "signature of " + k);
    }

    @Test
    void persistentLaunchTableMatchesItsSource() throws IOException {
        Map<String, String> source = sourceSignatures("kernels/" + PersistentRnn.MODULE + ".cu");
        Map<String, String> table = new LinkedHashMap<>();
        for (PersistentRnn.Kernel k : PersistentRnn.Kernel.values()) table.put(k.name(), k.signature);
        assertEquals(source, table, "kernels in rnn_persist.cu vs PersistentRnn.Kernel");
    }

    @Test
    void argumentsAreCheckedAndEncoded() {
        long[] slots = KernelArgs.encode("k", "ilfp", -1, 1L << 40, 1.5f, 0x1234L);
        assertArrayEquals(new long[] {0xffffffffL, 1L << 40, Float.floatToRawIntBits(1.5f), 0x1234L}, slots);
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.encode("k", "ip", 1));
        // An int where the kernel reads a long long or a pointer, a double where it reads a float.
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.encode("k", "l", 3));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.encode("k", "p", 3));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.encode("k", "f", 0.5));
        // A float where the kernel reads a double; a double's bits fill its slot.
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.encode("k", "d", 0.5f));
        assertArrayEquals(new long[] {Double.doubleToRawLongBits(-0.1)}, KernelArgs.encode("k", "d", -0.1));
    }
}
