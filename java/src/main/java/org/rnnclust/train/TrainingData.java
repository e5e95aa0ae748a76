package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.Preprocessor;

/**
 * What a checkpoint records of the data its run trains on, so that a resume on other data, or on
 * the same data preprocessed otherwise, is refused instead of training one model on both: the
 * shape, the preprocessing (its options and the statistics fitted on the training data, as the
 * model file records them) and a SHA-256 digest of the preprocessed training sequences.
 *
 * <p>The digest covers each sequence's length and its valid values, not the padding: it is the
 * same whatever the file was called, whether it was compressed, and however long the test set
 * made the padding.
 *
 * <p>Header field {@code "data"} of a checkpoint: {@code sequences}, {@code longest},
 * {@code channels}, {@code training_rows} (the rows the network trains on: all, or a subsample),
 * {@code preprocessing} (as in the model file) and {@code sha256}.
 */
public final class TrainingData {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TAIL = "; resume with the data and preprocessing of the first run";

    /** A preprocessing option a resume must repeat: its field, in words, and the setting that changes it. */
    private record Option(String field, String words, Setting setting) {}

    /** Compared first, in this order: when one differs, the message names it rather than the data it changed. */
    private static final List<Option> OPTIONS = List.of(
            new Option("normalize", "normalization", Setting.NORMALIZATION),
            new Option("clip_mad", "outlier clipping", Setting.OUTLIER_CLIP),
            new Option("missing", "missing values", Setting.MISSING_VALUES),
            new Option("length", "length policy", Setting.LENGTH_POLICY),
            new Option("resample_steps", "resample length", Setting.RESAMPLE_LENGTH));

    private final ObjectNode description;

    private TrainingData(ObjectNode description) {
        this.description = description;
    }

    /**
     * @param train        the preprocessed training sequences, all of them
     * @param trainingRows how many of them the network trains on
     * @param preprocessor the preprocessing that made them, fitted on the training data
     */
    public static TrainingData of(PaddedSequences train, int trainingRows, Preprocessor preprocessor) {
        ObjectNode d = JSON.createObjectNode();
        d.put("sequences", train.n());
        d.put("longest", longest(train));
        d.put("channels", train.channels());
        d.put("training_rows", trainingRows);
        TrainedModel.describePreprocessing(preprocessor, d.putObject("preprocessing"));
        d.put("sha256", digest(train));
        return new TrainingData(d);
    }

    /**
     * Data held elsewhere (on Spark's executors), described by its size and a digest computed where
     * it lives; a checkpoint records it as {@link #of} does, and a resume compares the same fields.
     */
    public static TrainingData ofDigest(long sequences, int longest, int channels, Preprocessor preprocessor,
                                        String sha256) {
        ObjectNode d = JSON.createObjectNode();
        d.put("sequences", sequences);
        d.put("longest", longest);
        d.put("channels", channels);
        d.put("training_rows", sequences);
        TrainedModel.describePreprocessing(preprocessor, d.putObject("preprocessing"));
        d.put("sha256", sha256);
        return new TrainingData(d);
    }

    /** The description a checkpoint's header holds. */
    ObjectNode json() {
        return description.deepCopy();
    }

    /**
     * Refuses to resume {@code checkpoint}, whose header recorded {@code saved}, with this data: one
     * line naming the first thing that differs.
     */
    void requireSame(Path checkpoint, JsonNode saved) {
        JsonNode was = saved.path("preprocessing");
        JsonNode now = description.get("preprocessing");
        for (Option o : OPTIONS) {
            if (!same(was.get(o.field()), now.get(o.field()))) {
                throw new InputException(checkpoint + ": made with " + o.words() + " " + text(was.get(o.field()))
                        + ", this run has " + text(now.get(o.field())) + TAIL, o.setting());
            }
        }
        if (!same(saved.get("sequences"), description.get("sequences"))
                || !same(saved.get("longest"), description.get("longest"))
                || !same(saved.get("channels"), description.get("channels"))) {
            throw new InputException(checkpoint + ": made on " + shape(saved) + ", this run has " + shape(description)
                    + TAIL);
        }
        if (!same(saved.get("training_rows"), description.get("training_rows"))) {
            throw new InputException(checkpoint + ": made training on " + text(saved.get("training_rows"))
                    + " of the sequences, this run on " + description.get("training_rows").asText() + TAIL);
        }
        if (!same(was.get("shift"), now.get("shift")) || !same(was.get("scale"), now.get("scale"))) {
            throw new InputException(checkpoint + ": made on other training data: the statistics fitted on it (shift "
                    + text(was.get("shift")) + ", scale " + text(was.get("scale")) + ") differ from this run's (shift "
                    + now.get("shift") + ", scale " + now.get("scale") + ")" + TAIL);
        }
        if (!same(saved.get("sha256"), description.get("sha256"))) {
            throw new InputException(checkpoint + ": made on other training data of the same shape (SHA-256 of the"
                    + " preprocessed sequences " + abbreviated(saved.get("sha256")) + ", this run's "
                    + abbreviated(description.get("sha256")) + ")" + TAIL);
        }
    }

    /** Compared as text: Jackson reads a long 7 back as an int node, which equals() tells apart from a long. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) return a == b;
        return a.isContainerNode() || b.isContainerNode() ? a.toString().equals(b.toString()) : a.asText().equals(b.asText());
    }

    private static String text(JsonNode n) {
        if (n == null) return "(none recorded)";
        return n.isContainerNode() ? n.toString() : n.asText();
    }

    private static String shape(JsonNode d) {
        int channels = d.path("channels").asInt();
        return d.path("sequences").asText("?") + " sequences of at most " + d.path("longest").asText("?") + " steps, "
                + channels + (channels == 1 ? " channel" : " channels");
    }

    private static String abbreviated(JsonNode digest) {
        String s = digest == null ? "(none recorded)" : digest.asText();
        return s.length() > 16 ? s.substring(0, 16) + "…" : s;
    }

    private static int longest(PaddedSequences d) {
        int m = 0;
        for (int l : d.lengths()) m = Math.max(m, l);
        return m;
    }

    /** SHA-256 of the sequence count, the channels, then each sequence's length and valid values (little-endian). */
    static String digest(PaddedSequences d) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(d.n()).putInt(d.channels());
        float[] v = d.values();
        for (int i = 0; i < d.n(); i++) {
            if (b.remaining() < 4) flush(sha, b);
            b.putInt(d.lengths()[i]);
            int from = i * d.rowSize();
            int to = from + d.lengths()[i] * d.channels();
            for (int k = from; k < to; k++) {
                if (b.remaining() < 4) flush(sha, b);
                b.putFloat(v[k]);
            }
        }
        flush(sha, b);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void flush(MessageDigest sha, ByteBuffer b) {
        b.flip();
        sha.update(b);
        b.clear();
    }
}
