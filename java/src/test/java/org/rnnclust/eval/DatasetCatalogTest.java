package org.rnnclust.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rnnclust.SharedData;
import org.rnnclust.data.Dataset;

/** Discovery over the real datasets: every set of their README, the right split and format for each. */
class DatasetCatalogTest {
    @Test
    void findsEverySharedDataset() {
        Path dir = SharedData.require("README.md").getParent();
        List<DatasetCatalog.Entry> all = DatasetCatalog.find(dir);
        Map<String, DatasetCatalog.Entry> byName = all.stream()
                .collect(Collectors.toMap(DatasetCatalog.Entry::name, Function.identity()));
        assertEquals(41, all.size(), byName.keySet().toString());
        assertTrue(byName.get("GunPoint").train().toString().endsWith("GunPoint_TRAIN.tsv.gz"), "tsv preferred");
        assertTrue(byName.get("JapaneseVowels").train().toString().endsWith(".ts.gz"));
        assertTrue(byName.get("CBF").hasSplit());
        DatasetCatalog.Entry mnist = byName.get("MNIST");
        assertFalse(mnist.hasSplit(), "only the t10k images are there");
        assertEquals(DatasetCatalog.Kind.IDX_IMAGES, mnist.kind());
        DatasetCatalog.Entry digits = byName.get("digits");
        assertFalse(digits.hasSplit());
        Dataset d = digits.readTrain();
        assertEquals(1797, d.size());
        assertEquals(8, d.channels(), "8×8 images read as 8 steps of 8 features");
        assertEquals(8, d.maxLength());
        assertEquals(10, d.numClasses());
    }
}
