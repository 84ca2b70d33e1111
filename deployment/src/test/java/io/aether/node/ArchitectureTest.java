package io.aether.node;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package layering of DESIGN.md §2. It runs here because this module sees every
 * other module's classes.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importAether() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // core's test jar (test helpers)
                .importPackages("io.aether");
    }

    private static void check(ArchRule rule) {
        rule.allowEmptyShould(true).check(classes);
    }

    @Test
    void sliceApiDependsOnTheJdkOnly() {
        check(noClasses().that().resideInAPackage("io.aether.slice.api..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.aether.slice.api..", "java.."));
    }

    /** No class in {@code pkg} uses an Aether class outside {@code pkg}. */
    private static ArchRule standsAlone(String pkg) {
        return noClasses().that().resideInAPackage(pkg).should().dependOnClassesThat(
                resideInAPackage("io.aether..").and(not(resideInAPackage(pkg))));
    }

    @Test
    void consensusAndStorageKnowNothingAboveThem() {
        check(standsAlone("io.aether.core.consensus.."));
        check(standsAlone("io.aether.core.storage.."));
        check(classes().that().resideInAPackage("io.aether.core.consensus..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.aether.core.consensus..", "java.."));
    }

    @Test
    void kvBuildsOnlyOnConsensusAndStorage() {
        check(noClasses().that().resideInAPackage("io.aether.core.kv..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aether.core.net..", "io.aether.core.client..",
                        "io.aether.core.replica..", "io.aether.core.cluster..",
                        "io.aether.core.slice..", "io.aether.core.endpoint..", "io.aether.core.invoke..",
                        "io.aether.core.metrics..", "io.aether.core.deployment..", "io.aether.core.control..",
                        "io.aether.node..", "io.aether.controller.."));
    }

    @Test
    void netIsIndependent() {
        check(standsAlone("io.aether.core.net.."));
    }

    @Test
    void theClientKnowsTheWireNotTheReplica() {
        check(noClasses().that().resideInAPackage("io.aether.core.client..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aether.core.replica..",
                        "io.aether.core.consensus..", "io.aether.core.storage.."));
    }

    @Test
    void runtimePackagesBuildOnKvAndNetAndOnlyDeploymentSeesThemAll() {
        String[] lower = {"io.aether.core.slice..", "io.aether.core.cluster..", "io.aether.core.endpoint.."};
        for (String pkg : lower) {
            check(noClasses().that().resideInAPackage(pkg).should().dependOnClassesThat().resideInAnyPackage(
                    "io.aether.core.deployment..", "io.aether.core.invoke..", "io.aether.core.replica..",
                    "io.aether.core.consensus..", "io.aether.core.storage..", "io.aether.core.control.."));
        }
        check(noClasses().that().resideInAPackage("io.aether.core.slice..").should().dependOnClassesThat()
                .resideInAnyPackage("io.aether.core.cluster..", "io.aether.core.endpoint..", "io.aether.core.kv..",
                        "io.aether.core.client..", "io.aether.core.net.."));
        check(noClasses().that().resideInAPackage("io.aether.core.invoke..").should().dependOnClassesThat()
                .resideInAnyPackage("io.aether.core.deployment..", "io.aether.core.cluster..",
                        "io.aether.core.replica..", "io.aether.core.consensus..", "io.aether.core.storage.."));
    }

    @Test
    void controlSeesReadModelsNotMachinery() {
        check(noClasses().that().resideInAPackage("io.aether.core.control..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aether.core.consensus..",
                        "io.aether.core.storage..", "io.aether.core.net..", "io.aether.core.replica..", "io.aether.node..",
                        "io.aether.controller.."));
    }

    @Test
    void controllersSeeOnlyTheControlSpi() {
        check(noClasses().that().resideInAPackage("io.aether.controller..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aether.core.consensus..",
                        "io.aether.core.storage..", "io.aether.core.kv..", "io.aether.core.net..",
                        "io.aether.core.cluster..", "io.aether.core.slice..", "io.aether.core.deployment..",
                        "io.aether.node.."));
    }

    @Test
    void coreNeverReachesIntoTheApplicationOrTheControllers() {
        check(noClasses().that().resideInAPackage("io.aether.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aether.node..", "io.aether.controller..",
                        "io.aether.cli..", "io.aether.examples..", "io.aether.bench.."));
    }
}
