package org.rnnclust.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Results name the commit the classes were built from, written at build time, not whatever
 * repository the process happens to run in.
 */
class MachineInfoCommitTest {
    @Test
    void theBuildCommitIsTheCheckoutsHead() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "git is not installed here: " + e.getMessage());
            return;
        }
        String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "not a git checkout: " + head);
        String built = MachineInfo.buildCommit();
        assertTrue(built.equals(head) || built.equals(head + "-dirty"),
                "built from " + built + ", the checkout is at " + head);
        if (System.getenv("RNNCLUST_COMMIT") == null) assertEquals(built, MachineInfo.gitCommit());
    }
}
