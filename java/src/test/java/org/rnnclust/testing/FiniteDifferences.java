package org.rnnclust.testing;

import java.util.function.DoubleSupplier;
import org.rnnclust.nn.Parameter;

/** Gradients against central finite differences of a loss. */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /**
     * ‖fd − g‖ / ‖fd‖ over every {@code stride}-th element of {@code p}, where fd is
     * (loss(w + h) − loss(w − h)) / 2h for that element and g the {@code gradient} given (read
     * before the first evaluation: {@code loss} may overwrite p's gradient); p is left as it was.
     */
    public static double relativeError(Parameter p, float[] gradient, DoubleSupplier loss, double h, int stride) {
        float[] w = p.get();
        double num = 0;
        double den = 0;
        for (int i = 0; i < w.length; i += stride) {
            float keep = w[i];
            w[i] = (float) (keep + h);
            p.set(w);
            double up = loss.getAsDouble();
            w[i] = (float) (keep - h);
            p.set(w);
            double down = loss.getAsDouble();
            w[i] = keep;
            p.set(w);
            double fd = (up - down) / (2 * h);
            num += (fd - gradient[i]) * (fd - gradient[i]);
            den += fd * fd;
        }
        return Math.sqrt(num / Math.max(den, 1e-20));
    }
}
