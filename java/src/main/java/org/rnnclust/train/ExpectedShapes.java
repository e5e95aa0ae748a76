package org.rnnclust.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.RecurrentSpec;

/** The parameter names and shapes of an autoencoder, computed from its spec (PyTorch's layout). */
final class ExpectedShapes {
    private ExpectedShapes() {}

    static Map<String, int[]> of(AutoencoderSpec spec) {
        Map<String, int[]> m = new LinkedHashMap<>();
        recurrent(m, "encoder.", spec.encoder());
        m.put("latent.weight", new int[] {spec.latent(), spec.summarySize()});
        m.put("latent.bias", new int[] {spec.latent()});
        recurrent(m, "decoder.", spec.decoder());
        m.put("output.weight", new int[] {spec.channels(), spec.hidden()});
        m.put("output.bias", new int[] {spec.channels()});
        return m;
    }

    static void recurrent(Map<String, int[]> m, String prefix, RecurrentSpec s) {
        int gh = s.cell().gates() * s.hiddenSize();
        for (int l = 0; l < s.layers(); l++) {
            int in = l == 0 ? s.inputSize() : s.outputSize();
            for (int d = 0; d < s.directions(); d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                m.put(prefix + "weight_ih" + suffix, new int[] {gh, in});
                m.put(prefix + "weight_hh" + suffix, new int[] {gh, s.hiddenSize()});
                m.put(prefix + "bias_ih" + suffix, new int[] {gh});
                m.put(prefix + "bias_hh" + suffix, new int[] {gh});
            }
        }
    }
}
