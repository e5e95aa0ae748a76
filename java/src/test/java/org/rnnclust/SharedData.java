package org.rnnclust;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real datasets, in the folder that the system property {@code rnnclust.shared.data} names (set by
 * the pom). Tests that need them skip, rather than fail, on a checkout without that folder.
 */
public final class SharedData {
    private SharedData() {}

    public static Path dir() {
        return Path.of(System.getProperty("rnnclust.shared.data", "../shared/data"));
    }

    /** The file {@code relative} to {@link #dir()}; skips the calling test when it is absent. */
    public static Path require(String relative) {
        Path dir = dir();
        Assumptions.assumeTrue(Files.isDirectory(dir), "../shared/data not found: skipping tests on the shared datasets");
        Path file = dir.resolve(relative);
        Assumptions.assumeTrue(Files.exists(file), file + " not found: skipping");
        return file;
    }
}
