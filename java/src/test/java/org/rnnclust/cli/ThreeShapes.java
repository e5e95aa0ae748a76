package org.rnnclust.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/** Test data: three noisy shapes (flat, rising, falling bumps) of 96 steps, sizes where the CPU ops split. */
final class ThreeShapes {
    private ThreeShapes() {}

    /** Writes {@code 3 × perClass} labelled series to {@code file} in the UCR format and returns it. */
    static Path write(Path file, int perClass) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3 * perClass; i++) {
            int label = i % 3;
            sb.append(label + 1);
            for (int t = 0; t < 96; t++) {
                double shape = label == 0 ? 0 : (label == 1 ? t / 96.0 : 1 - t / 96.0);
                double v = (t > 16 && t < 80 ? shape : 0) + 0.3 * rng.nextGaussian();
                sb.append('\t').append(String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
        return file;
    }
}
