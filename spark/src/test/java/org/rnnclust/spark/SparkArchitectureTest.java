package org.rnnclust.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Where the Spark module sits in the architecture: its library ({@code org.rnnclust.spark}) is a
 * front end beside the engine's command line, using the engine's public layers (api, data, train,
 * nn, backend's interfaces) and never the command line, the evaluation, reports, the file format
 * or a backend's implementation; its own command line ({@code spark.cli}) is the only part that
 * knows picocli and the engine's CLI (for the one exit-code table), and the library never uses it.
 */
class SparkArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.rnnclust.spark");

    @Test
    void theLibraryUsesTheEnginesPublicLayersOnly() {
        noClasses().that().resideInAPackage("org.rnnclust.spark").should().dependOnClassesThat()
                .resideInAnyPackage("org.rnnclust.cli..", "org.rnnclust.eval..", "org.rnnclust.report..",
                        "org.rnnclust.bench..", "org.rnnclust.io..", "org.rnnclust.linalg..",
                        "org.rnnclust.backend.cpu..", "org.rnnclust.backend.cuda..", "org.rnnclust.spark.cli..",
                        "picocli..")
                .check(CLASSES);
    }

    @Test
    void theCommandLineReachesTheEngineThroughItsLibraryAndTheExitCodes() {
        noClasses().that().resideInAPackage("org.rnnclust.spark.cli").should().dependOnClassesThat()
                .resideInAnyPackage("org.rnnclust.eval..", "org.rnnclust.report..", "org.rnnclust.bench..",
                        "org.rnnclust.io..", "org.rnnclust.backend..", "org.rnnclust.cluster..", "org.rnnclust.baseline..")
                .check(CLASSES);
    }
}
