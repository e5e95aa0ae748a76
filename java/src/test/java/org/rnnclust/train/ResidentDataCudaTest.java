package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cuda.CudaBackend;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * The training set resident on the GPU ({@code -Drnnclust.cuda.residentData=true}), each batch
 * gathered there by index (kernels/rnn.cu gatherSequences), against the batches uploaded from the
 * host: the same batch buffers bit for bit over several shuffled epochs (variable lengths, two
 * channels, a short last batch, indices past 2^23, which travel as the bits of subnormal floats),
 * and training runs with the same final weights, both within a training step's tolerance of the CPU.
 * The property is read when a backend opens, so each mode has its own. Skipped without a GPU.
 */
@Tag("gpu")
class ResidentDataCudaTest {
    private static final String PROPERTY = "rnnclust.cuda.residentData";

    @Test
    void gatheredBatchesEqualUploadedOnesOnTheGpu() {
        assumeGpu("the resident training set on CUDA");
        PaddedSequences data = ResidentDataTest.ragged(301, 17, 2, 4);
        int batch = 64;
        try (CudaBackend uploads = open(false); CudaBackend resident = open(true);
             BatchLoader a = new BatchLoader(uploads.tensorOps(), data, batch, true);
             BatchLoader b = new BatchLoader(resident.tensorOps(), data, batch, true)) {
            assertFalse(a.resident(), "resident without the property");
            assertTrue(b.resident(), "not resident with the property");
            SplittableRandom r = new SplittableRandom(3);
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] order = permutation(data.n(), r);
                for (int from = 0; from < data.n(); from += batch) {
                    int count = Math.min(batch, data.n() - from);
                    a.load(order, from, count);
                    b.load(order, from, count);
                    assertArrayEquals(uploads.tensorOps().toHost(a.input()), resident.tensorOps().toHost(b.input()),
                            "batch at " + from + ", epoch " + epoch);
                }
            }
        }
    }

    @Test
    void largeIndicesArriveIntact() {
        assumeGpu("the resident training set on CUDA");
        // 9M one-step sequences: indices above 2^23 are normal floats' bit patterns, below it subnormal ones.
        int n = 9_000_000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = i;
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, 1);
        PaddedSequences data = new PaddedSequences(n, 1, 1, values, lengths);
        int[] index = {n - 1, 0, 1, 8_388_607, 8_388_608, 8_388_609, 123_456};
        try (CudaBackend resident = open(true); BatchLoader b = new BatchLoader(resident.tensorOps(), data, 7, true)) {
            assertTrue(b.resident());
            b.load(index, 0, index.length);
            float[] got = resident.tensorOps().toHost(b.input());
            for (int i = 0; i < index.length; i++) assertTrue(got[i] == index[i], "index " + index[i] + " gave " + got[i]);
        }
    }

    @Test
    void trainingOnGatheredBatchesEndsWithTheUploadedRunsWeights() {
        assumeGpu("the resident training set on CUDA");
        TrainConfig cfg = new TrainConfig(2, 7, 1e-2, 0, 1.0, 0, 1e-3, 11, 0.2);
        AutoencoderSpec spec = new AutoencoderSpec(CellType.LSTM, 1, 8, 1, true, 4);
        Map<String, float[]> uploaded;
        Map<String, float[]> gathered;
        Map<String, float[]> cpu;
        try (CudaBackend backend = open(false)) {
            uploaded = train(backend.tensorOps(), cfg, spec);
        }
        try (CudaBackend backend = open(true)) {
            gathered = train(backend.tensorOps(), cfg, spec);
        }
        try (org.rnnclust.backend.cpu.CpuOps ops = new org.rnnclust.backend.cpu.CpuOps(2)) {
            cpu = train(ops, cfg, spec);
        }
        TrainerTest.assertSameWeights(uploaded, gathered);
        for (var e : cpu.entrySet()) {
            double[] want = new double[e.getValue().length];
            for (int i = 0; i < want.length; i++) want[i] = e.getValue()[i];
            RelativeError.check("resident " + e.getKey(), gathered.get(e.getKey()), want, 10 * Tolerances.TRAINING_STEP);
        }
    }

    private static Map<String, float[]> train(TensorOps ops, TrainConfig cfg, AutoencoderSpec spec) {
        try (SequenceAutoencoder m = new SequenceAutoencoder(ops, spec, cfg.seed())) {
            new Trainer(ops, cfg, null).train(m, TrainerTest.data());
            return TrainedModel.weightsOf(m);
        }
    }

    private static CudaBackend open(boolean resident) {
        String before = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, Boolean.toString(resident));
        try {
            CudaBackend backend = new CudaBackend(0, false, 0);
            backend.tensorOps();  // the ops read the property when they are made
            return backend;
        } finally {
            if (before == null) System.clearProperty(PROPERTY);
            else System.setProperty(PROPERTY, before);
        }
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
