package org.rnnclust.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * An autoencoder's weights after pretraining, with what its training reported, so that the
 * recurrent methods of one dataset and seed (rnn, rnn-dec, rnn-idec) refine the same network
 * instead of each training its own: the comparison is then paired, and the suite does the
 * pretraining once instead of three times.
 *
 * @param weights     every parameter's values, in {@link SequenceAutoencoder#parameters()} order
 * @param epochs      epochs the pretraining ran
 * @param lossHistory its loss per epoch
 * @param seconds     how long it took
 */
record Pretrained(List<float[]> weights, int epochs, List<Double> lossHistory, double seconds) {

    static Pretrained of(SequenceAutoencoder net, int epochs, List<Double> lossHistory, double seconds) {
        return new Pretrained(net.parameters().stream().map(Parameter::get).toList(), epochs,
                List.copyOf(lossHistory), seconds);
    }

    /** Loads the weights into {@code net}, which must have the architecture they came from. */
    void restoreInto(SequenceAutoencoder net) {
        List<Parameter> params = net.parameters();
        if (params.size() != weights.size()) {
            throw new IllegalStateException("pretrained weights of another architecture");
        }
        for (int i = 0; i < params.size(); i++) params.get(i).set(weights.get(i));
    }

    /** Pretrained networks of one dataset, by seed. */
    static final class Cache {
        private final Map<Long, Pretrained> bySeed = new HashMap<>();

        Pretrained get(long seed) {
            return bySeed.get(seed);
        }

        void put(long seed, Pretrained p) {
            bySeed.put(seed, p);
        }
    }
}
