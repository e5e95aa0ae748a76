package org.rnnclust;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.metrics.PlantedViolation;

/**
 * The dependency rules of the architecture, on the compiled main classes:
 * <pre>
 * cli ──▶ eval, report, bench ──▶ api
 * api ──▶ train, cluster, baseline, nn, data, io, metrics, backend (interface + factory)
 * train ──▶ nn, cluster, io, backend        nn, cluster ──▶ backend, linalg
 * baseline ──▶ cluster, linalg               linalg: host linear algebra, no backend
 * backend.cpu, backend.cuda ──▶ backend      (they know nothing above them)
 * data, metrics ──▶ nothing of the engine but the root package (the exception types, Setting)
 * </pre>
 * Anyone may use {@code data} and {@code metrics}; {@code bench} may reach {@code nn} and
 * {@code backend} (it times layers); {@code report} may use {@code linalg}. Only the factory
 * ({@code backend.Backends}) names backend.cpu or backend.cuda above them; only backend.cuda
 * touches the CUDA presets. The packages form no cycle.
 */
class ArchitectureTest {
    private static final String BASE = "org.rnnclust";

    /** The engine's packages (with their sub-packages) that every layer may use. */
    private static final String[] SHARED = {BASE, BASE + ".data..", BASE + ".metrics.."};

    /** Each layer and what it may use of the engine besides itself and {@link #SHARED}. */
    static final List<ArchRule> LAYERS = List.of(
            layer("cli", "eval", "report", "bench", "api"),
            layer("eval", "api"),
            layer("report", "api", "linalg"),
            layer("bench", "api", "nn", "backend"),
            layer("api", "train", "cluster", "baseline", "nn", "io", "backend"),
            layer("train", "nn", "cluster", "io", "backend"),
            layer("nn", "backend", "linalg"),
            layer("cluster", "backend", "linalg"),
            layer("baseline", "cluster", "linalg"),
            layer("linalg"),
            layer("io"),
            layer("backend.cpu", "backend"),
            layer("backend.cuda", "backend"),
            layer("data"),
            layer("metrics"),
            classes().that().resideInAPackage(BASE)
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage(BASE + "..").or(resideInAPackage(BASE)))
                    .because("the root package holds only the exception types and Setting, which every layer uses"),
            classes().that().resideInAPackage(BASE + ".backend")
                    .and().doNotHaveFullyQualifiedName(BASE + ".backend.Backends")
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage(BASE + "..")
                            .or(resideInAnyPackage(concat(SHARED, BASE + ".backend"))))
                    .because("the backend interface knows no implementation; only the factory picks one"),
            noClasses().that().resideOutsideOfPackage(BASE + ".backend.cuda..")
                    .should().dependOnClassesThat().resideInAPackage("org.bytedeco.cuda..")
                    .because("only backend.cuda touches the JavaCPP CUDA types"));

    /** Classes of {@code name} (and below) depend, in the engine, only on themselves, {@code allowed} and SHARED. */
    private static ArchRule layer(String name, String... allowed) {
        java.util.Set<String> packages = new java.util.LinkedHashSet<>(Arrays.asList(SHARED));
        packages.add(BASE + "." + name + "..");
        for (String a : allowed) {
            // "backend" alone is the interface and factory package, not its implementations.
            packages.add(a.equals("backend") ? BASE + ".backend" : BASE + "." + a + "..");
        }
        String pkg = BASE + "." + name + "..";
        var rule = classes().that().resideInAPackage(pkg);
        if (name.equals("backend")) rule = classes().that().resideInAPackage(BASE + ".backend");
        return rule.should().onlyDependOnClassesThat(resideOutsideOfPackage(BASE + "..")
                        .or(resideInAnyPackage(packages.toArray(new String[0]))))
                .because(name + " may use only " + (allowed.length == 0 ? "the shared packages" : String.join(", ", allowed)
                        + " and the shared packages (root, data, metrics)"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static final ArchRule NO_CYCLES = slices().matching(BASE + ".(*)..").should().beFreeOfCycles();

    static JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);
    }

    @Test
    void everyLayerUsesOnlyWhatItMay() {
        JavaClasses classes = mainClasses();
        assertTrue(classes.size() > 100, "the main classes were not found: " + classes.size());
        for (ArchRule rule : LAYERS) rule.check(classes);
    }

    @Test
    void thePackagesFormNoCycle() {
        NO_CYCLES.check(mainClasses());
    }

    @Test
    void theRulesCatchAPlantedViolation() {
        // A test class in metrics that uses the CLI and the CPU backend: both rules must object.
        JavaClasses planted = new ClassFileImporter().importClasses(PlantedViolation.class);
        List<String> failures = new ArrayList<>();
        for (ArchRule rule : LAYERS) {
            EvaluationResult r = rule.allowEmptyShould(true).evaluate(planted);
            if (r.hasViolation()) failures.addAll(r.getFailureReport().getDetails());
        }
        assertFalse(failures.isEmpty(), "no rule caught metrics using cli and backend.cpu");
        assertTrue(failures.stream().anyMatch(f -> f.contains("org.rnnclust.cli.Main")), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.contains("org.rnnclust.backend.cpu.CpuBackend")), failures.toString());
    }
}
