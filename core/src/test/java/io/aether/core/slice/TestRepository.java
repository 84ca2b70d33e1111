package io.aether.core.slice;

import io.aether.slice.api.Slice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A Maven-layout directory repository built at test time: compiles Java sources with {@code javax.tools},
 * packs them into a jar, writes a pom with the given dependencies (the slice API as {@code provided}) and
 * {@code .sha1}/{@code .md5} checksums, as {@code mvn deploy} would.
 */
final class TestRepository {

    private final Path root;
    private final Path work;

    TestRepository(Path directory) throws IOException {
        this.root = Files.createDirectories(directory.resolve("repository"));
        this.work = Files.createDirectories(directory.resolve("build"));
    }

    Path root() {
        return root;
    }

    SliceStoreConfig.Repository asRepository() {
        return SliceStoreConfig.Repository.directory("test-repo", root);
    }

    /** One artifact to publish. */
    static final class Jar {
        private final String coordinates;
        private final Map<String, String> sources = new java.util.LinkedHashMap<>();
        private final List<String> services = new ArrayList<>();
        private final List<String> dependencies = new ArrayList<>();

        private Jar(String coordinates) {
            this.coordinates = coordinates;
        }

        /** A class, by fully qualified name, and its source. */
        Jar source(String className, String source) {
            sources.put(className, source);
            return this;
        }

        /** A line of {@code META-INF/services/io.aether.slice.api.Slice}. */
        Jar service(String className) {
            services.add(className);
            return this;
        }

        /** A compile-scope dependency, {@code group:artifact:version}, already published in this repository. */
        Jar dependsOn(String coordinates) {
            dependencies.add(coordinates);
            return this;
        }
    }

    static Jar jar(String coordinates) {
        return new Jar(coordinates);
    }

    /** Compiles, packs and publishes; returns the jar's path in the repository. */
    Path publish(Jar jar) throws IOException {
        Artifact a = Artifact.parse(jar.coordinates);
        Path dir = root.resolve(a.groupId().replace('.', '/')).resolve(a.artifactId()).resolve(a.version());
        Files.createDirectories(dir);
        String base = a.artifactId() + "-" + a.version();
        Path classes = Files.createTempDirectory(work, base);
        compile(jar, classes);
        Path jarFile = dir.resolve(base + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jarFile));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (!jar.services.isEmpty()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + Slice.class.getName()));
                out.write((String.join("\n", jar.services) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Path pom = dir.resolve(base + ".pom");
        Files.writeString(pom, pom(a, jar.dependencies));
        checksums(jarFile);
        checksums(pom);
        return jarFile;
    }

    private void compile(Jar jar, Path classes) throws IOException {
        Path sourceDir = Files.createTempDirectory(work, "src");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                "-classpath", classpath(jar)));
        for (Map.Entry<String, String> s : jar.sources.entrySet()) {
            Path file = sourceDir.resolve(s.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        int rc = javac.run(null, null, new OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("javac failed for " + jar.coordinates + ": " + errors);
        }
    }

    private String classpath(Jar jar) {
        List<String> entries = new ArrayList<>();
        try {
            entries.add(Path.of(Slice.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String d : jar.dependencies) {
            Artifact a = Artifact.parse(d);
            entries.add(root.resolve(a.groupId().replace('.', '/')).resolve(a.artifactId()).resolve(a.version())
                    .resolve(a.artifactId() + "-" + a.version() + ".jar").toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String pom(Artifact a, List<String> dependencies) {
        StringBuilder deps = new StringBuilder();
        deps.append(dependency("io.aether", "aether-slice-api", "0.1.0-SNAPSHOT", "provided"));
        for (String d : dependencies) {
            Artifact dep = Artifact.parse(d);
            deps.append(dependency(dep.groupId(), dep.artifactId(), dep.version(), "compile"));
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <version>%s</version>
                  <dependencies>
                %s  </dependencies>
                </project>
                """.formatted(a.groupId(), a.artifactId(), a.version(), deps);
    }

    private static String dependency(String group, String artifact, String version, String scope) {
        return "    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version><scope>%s</scope></dependency>\n"
                .formatted(group, artifact, version, scope);
    }

    private static void checksums(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (String[] alg : new String[][] {{"SHA-1", ".sha1"}, {"MD5", ".md5"}}) {
            try {
                String hex = HexFormat.of().formatHex(MessageDigest.getInstance(alg[0]).digest(bytes));
                Files.writeString(file.resolveSibling(file.getFileName() + alg[1]), hex);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
