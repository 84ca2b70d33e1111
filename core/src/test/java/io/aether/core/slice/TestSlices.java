package io.aether.core.slice;

import java.io.IOException;
import java.nio.file.Path;

/** The slices the store tests load, published into a {@link TestRepository}. Group {@code io.test}. */
final class TestSlices {

    static final String GREETING = "io.test:greeting:1.0.0";
    static final String VERSIONED_1 = "io.test:versioned:1.0.0";
    static final String VERSIONED_2 = "io.test:versioned:2.0.0";
    static final String ISOLATION = "io.test:isolation:1.0.0";
    static final String WITH_LIB = "io.test:with-lib:1.0.0";
    static final String LIB = "io.test:lib:1.0.0";
    static final String NO_SERVICE = "io.test:no-service:1.0.0";
    static final String TWO_SERVICES = "io.test:two-services:1.0.0";
    static final String FAULTY_ACTIVATE = "io.test:faulty-activate:1.0.0";
    static final String FAULTY_DEACTIVATE = "io.test:faulty-deactivate:1.0.0";
    static final String FAULTY_CALL = "io.test:faulty-call:1.0.0";
    static final String STUCK = "io.test:stuck:1.0.0";
    static final String RELAY = "io.test:relay:1.0.0";

    private static final String IMPORTS = """
            import io.aether.slice.api.*;
            import java.util.*;
            import java.util.concurrent.*;
            """;

    private TestSlices() {
    }

    /** Publishes every test slice; returns the path of the greeting jar. */
    static Path publishAll(TestRepository repo) throws IOException {
        Path greeting = repo.publish(TestRepository.jar(GREETING).service("t.Greeting").source("t.Greeting", """
                package t;
                %s
                public class Greeting implements Slice {
                    private volatile SliceContext context;
                    public CompletionStage<Void> activate(SliceContext context) {
                        this.context = context;
                        return CompletableFuture.completedFuture(null);
                    }
                    public Map<String, EntryPoint> entryPoints() {
                        return Map.of(
                            "greet", json -> CompletableFuture.completedFuture("{\\"message\\":\\""
                                + context.config().getOrDefault("greeting", "Hello") + "\\",\\"instance\\":\\""
                                + context.instanceId() + "\\",\\"request\\":" + json + "}"),
                            "info", json -> CompletableFuture.completedFuture("{\\"artifact\\":\\""
                                + context.artifact() + "\\"}"));
                    }
                }
                """.formatted(IMPORTS)));
        for (String v : new String[] {VERSIONED_1, VERSIONED_2}) {
            String version = Artifact.parse(v).version();
            repo.publish(TestRepository.jar(v).service("t.Versioned").source("t.Versioned", """
                    package t;
                    %s
                    public class Versioned implements LeanSlice {
                        public CompletionStage<String> call(String json) {
                            return CompletableFuture.completedFuture("{\\"version\\":\\"%s\\"}");
                        }
                    }
                    """.formatted(IMPORTS, version)));
        }
        repo.publish(TestRepository.jar(ISOLATION).service("t.Isolation").source("t.Isolation", """
                package t;
                %s
                public class Isolation implements LeanSlice {
                    public CompletionStage<String> call(String json) {
                        StringBuilder out = new StringBuilder("{");
                        String[] names = {"io.aether.core.kv.KvStateMachine", "io.vertx.core.Vertx",
                            "com.fasterxml.jackson.databind.ObjectMapper", "org.eclipse.aether.RepositorySystem",
                            "java.util.concurrent.CompletableFuture", "io.aether.slice.api.SliceContext"};
                        for (String n : names) {
                            boolean own = canLoad(n, Isolation.class.getClassLoader());
                            boolean tccl = canLoad(n, Thread.currentThread().getContextClassLoader());
                            out.append(out.length() > 1 ? "," : "").append('"').append(n).append("\\":")
                               .append(own || tccl);
                        }
                        return CompletableFuture.completedFuture(out.append('}').toString());
                    }
                    private static boolean canLoad(String name, ClassLoader loader) {
                        try {
                            Class.forName(name, false, loader);
                            return true;
                        } catch (ClassNotFoundException | LinkageError e) {
                            return false;
                        }
                    }
                }
                """.formatted(IMPORTS)));
        repo.publish(TestRepository.jar(LIB).source("lib.Shout", """
                package lib;
                public final class Shout {
                    public static String shout(String s) { return s.toUpperCase(java.util.Locale.ROOT) + "!"; }
                }
                """));
        repo.publish(TestRepository.jar(WITH_LIB).dependsOn(LIB).service("t.WithLib").source("t.WithLib", """
                package t;
                %s
                public class WithLib implements LeanSlice {
                    public CompletionStage<String> call(String json) {
                        return CompletableFuture.completedFuture("{\\"said\\":\\"" + lib.Shout.shout("hi") + "\\"}");
                    }
                }
                """.formatted(IMPORTS)));
        repo.publish(TestRepository.jar(NO_SERVICE).source("t.Orphan", """
                package t;
                %s
                public class Orphan implements LeanSlice {
                    public CompletionStage<String> call(String json) { return CompletableFuture.completedFuture("{}"); }
                }
                """.formatted(IMPORTS)));
        repo.publish(TestRepository.jar(TWO_SERVICES).service("t.One").service("t.Two")
                .source("t.One", lean("One", "{}")).source("t.Two", lean("Two", "{}")));
        repo.publish(TestRepository.jar(FAULTY_ACTIVATE).service("t.FaultyActivate").source("t.FaultyActivate", """
                package t;
                %s
                public class FaultyActivate implements LeanSlice {
                    public CompletionStage<Void> activate(SliceContext context) {
                        if ("stage".equals(context.config().get("mode"))) {
                            return CompletableFuture.failedFuture(new IllegalStateException("cache warm-up failed"));
                        }
                        throw new IllegalStateException("database unreachable");
                    }
                    public CompletionStage<String> call(String json) { return CompletableFuture.completedFuture("{}"); }
                }
                """.formatted(IMPORTS)));
        repo.publish(TestRepository.jar(FAULTY_DEACTIVATE).service("t.FaultyDeactivate")
                .source("t.FaultyDeactivate", """
                package t;
                %s
                public class FaultyDeactivate implements LeanSlice {
                    public CompletionStage<Void> deactivate() { throw new IllegalStateException("flush failed"); }
                    public CompletionStage<String> call(String json) { return CompletableFuture.completedFuture("{}"); }
                }
                """.formatted(IMPORTS)));
        repo.publish(TestRepository.jar(FAULTY_CALL).service("t.FaultyCall").source("t.FaultyCall", """
                package t;
                %s
                public class FaultyCall implements Slice {
                    public Map<String, EntryPoint> entryPoints() {
                        return Map.of(
                            "throws", json -> { throw new IllegalArgumentException("bad input"); },
                            "status", json -> { throw new SliceException(422, "name is required"); },
                            "failedStage", json -> CompletableFuture.failedFuture(new ArithmeticException("/ by zero")),
                            "loader", json -> CompletableFuture.completedFuture("{\\"tccl\\":\\""
                                + Thread.currentThread().getContextClassLoader().getName() + "\\"}"));
                    }
                }
                """.formatted(IMPORTS)));
        repo.publish(TestRepository.jar(STUCK).service("t.Stuck").source("t.Stuck", """
                package t;
                %s
                public class Stuck implements LeanSlice {
                    public CompletionStage<Void> activate(SliceContext context) { return new CompletableFuture<>(); }
                    public CompletionStage<String> call(String json) { return CompletableFuture.completedFuture("{}"); }
                }
                """.formatted(IMPORTS)));
        repo.publish(TestRepository.jar(RELAY).service("t.Relay").source("t.Relay", """
                package t;
                %s
                public class Relay implements LeanSlice {
                    private volatile SliceContext context;
                    public CompletionStage<Void> activate(SliceContext context) {
                        this.context = context;
                        return CompletableFuture.completedFuture(null);
                    }
                    public CompletionStage<String> call(String json) {
                        return context.call("io.test:greeting", "greet", json, java.time.Duration.ofSeconds(2))
                            .thenApply(answer -> "{\\"relayed\\":" + answer + "}");
                    }
                }
                """.formatted(IMPORTS)));
        return greeting;
    }

    private static String lean(String name, String answer) {
        return """
                package t;
                %s
                public class %s implements LeanSlice {
                    public CompletionStage<String> call(String json) { return CompletableFuture.completedFuture("%s"); }
                }
                """.formatted(IMPORTS, name, answer);
    }
}
