package org.rnnclust.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The launcher's JVM options (spark/jvm-options) are the ones these tests run Spark under (the
 * pom's spark.add-opens): what passes here is what the launcher gives the driver and executors.
 */
class JvmOptionsTest {
    @Test
    void theLaunchersOptionsAreTheTestJvms() throws IOException {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> launcher = Files.readAllLines(Path.of("spark/jvm-options")).stream()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertTrue(launcher.size() >= 10, "spark/jvm-options lists " + launcher.size() + " options");
        for (String option : launcher) assertTrue(jvm.contains(option), option + " is not in the test JVM's " + jvm);
    }
}
