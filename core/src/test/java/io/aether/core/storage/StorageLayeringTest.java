package io.aether.core.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The storage package knows nothing above it and stores bytes with its own codecs. */
class StorageLayeringTest {

    private static final JavaClasses STORAGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.aether.core.storage");

    @Test
    void storageDependsOnlyOnTheJdk() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("io.aether.core.storage", "java..")
                .check(STORAGE);
    }

    @Test
    void storageNeverUsesJavaSerialization() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(ObjectOutputStream.class, ObjectInputStream.class)
                .check(STORAGE);
    }
}
