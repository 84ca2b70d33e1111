package io.aether.core.kv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class KvArchitectureTest {

    private final JavaClasses kv = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.aether.core.kv");

    @Test
    void theStateMachineDependsOnTheJdkAlone() {
        classes().that().resideInAPackage("io.aether.core.kv")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.aether.core.kv", "java..")
                .check(kv);
    }

    @Test
    void theStateMachineDoesNoIoHasNoThreadsAndReadsNoClock() {
        classes().that().resideInAPackage("io.aether.core.kv")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("java.io..", "java.nio.file..",
                        "java.net..", "java.util.concurrent..", "java.time..")
                .andShould().notBeAssignableTo(Thread.class)
                .check(kv);
    }
}
