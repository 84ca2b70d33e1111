package io.aether.core.slice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.slice.api.SliceException;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenSliceStoreTest {

    private static final Duration ACTIVATE_TIMEOUT = Duration.ofMillis(800);

    @TempDir
    static Path dir;

    private static TestRepository repo;
    private static MavenSliceStore store;
    /** Where the relay test slice's {@code context.call} goes. */
    private static final AtomicReference<SliceInstance> callTarget = new AtomicReference<>();

    @BeforeAll
    static void publishSlicesAndOpenStore() throws IOException {
        repo = new TestRepository(dir);
        TestSlices.publishAll(repo);
        SliceStoreConfig config = SliceStoreConfig.of(java.util.List.of(repo.asRepository()), dir.resolve("cache"))
                .withTimeouts(Duration.ofSeconds(30), ACTIVATE_TIMEOUT, Duration.ofSeconds(2), Duration.ofSeconds(5));
        store = new MavenSliceStore(config, (artifact, entry, json, deadline) -> {
            SliceInstance target = callTarget.get();
            if (target == null || !target.artifact().versionless().equals(artifact)) {
                return CompletableFuture.failedFuture(new SliceException(503, "no instance of " + artifact));
            }
            return target.call(entry, json).orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Test
    void loadedSliceAnswersWithItsConfigAndInstanceId() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.GREETING)));
        assertEquals(Set.of("greet", "info"), loaded.entryPoints());

        SliceInstance instance = await(store.activate(loaded, "node-1.0", Map.of("greeting", "Hej")));
        assertEquals(Set.of("greet", "info"), instance.entryPoints());
        assertEquals("{\"message\":\"Hej\",\"instance\":\"node-1.0\",\"request\":{\"name\":\"Ada\"}}",
                await(instance.call("greet", "{\"name\":\"Ada\"}")));
        assertEquals("{\"artifact\":\"" + TestSlices.GREETING + "\"}", await(instance.call("info", "{}")));

        await(store.deactivate(instance));
        await(store.unload(loaded));
    }

    @Test
    void twoVersionsOfOneSliceRunSideBySideWithTheirOwnCode() throws Exception {
        LoadedSlice v1 = await(store.load(Artifact.parse(TestSlices.VERSIONED_1)));
        LoadedSlice v2 = await(store.load(Artifact.parse(TestSlices.VERSIONED_2)));
        SliceInstance i1 = await(store.activate(v1, "node-1.1", Map.of()));
        SliceInstance i2 = await(store.activate(v2, "node-1.2", Map.of()));

        assertEquals("{\"version\":\"1.0.0\"}", await(i1.call("handle", "{}")));
        assertEquals("{\"version\":\"2.0.0\"}", await(i2.call("handle", "{}")));

        for (SliceInstance i : new SliceInstance[] {i1, i2}) {
            await(store.deactivate(i));
        }
        await(store.unload(v1));
        await(store.unload(v2));
    }

    @Test
    void sliceSeesOnlyTheJdkAndTheSliceApi() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.ISOLATION)));
        SliceInstance instance = await(store.activate(loaded, "node-1.3", Map.of()));

        String seen = await(instance.call("handle", "{}"));

        assertTrue(seen.contains("\"io.aether.core.kv.KvStateMachine\":false"), seen);
        assertTrue(seen.contains("\"io.vertx.core.Vertx\":false"), seen);
        assertTrue(seen.contains("\"com.fasterxml.jackson.databind.ObjectMapper\":false"), seen);
        assertTrue(seen.contains("\"org.eclipse.aether.RepositorySystem\":false"), seen);
        assertTrue(seen.contains("\"java.util.concurrent.CompletableFuture\":true"), seen);
        assertTrue(seen.contains("\"io.aether.slice.api.SliceContext\":true"), seen);
        // The test itself does see them: the slice is blind because of its loader, not because they are absent.
        Class.forName("io.aether.core.kv.KvStateMachine");
        Class.forName("io.vertx.core.Vertx");

        await(store.deactivate(instance));
        await(store.unload(loaded));
    }

    @Test
    void runtimeDependenciesOfASliceAreResolvedIntoItsLoader() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.WITH_LIB)));
        SliceInstance instance = await(store.activate(loaded, "node-1.4", Map.of()));

        assertEquals("{\"said\":\"HI!\"}", await(instance.call("handle", "{}")));

        await(store.deactivate(instance));
        await(store.unload(loaded));
    }

    @Test
    void sliceCallsAnotherSliceThroughTheStoresCaller() throws Exception {
        LoadedSlice greeting = await(store.load(Artifact.parse(TestSlices.GREETING)));
        LoadedSlice relay = await(store.load(Artifact.parse(TestSlices.RELAY)));
        SliceInstance greeter = await(store.activate(greeting, "node-1.5", Map.of()));
        SliceInstance relayer = await(store.activate(relay, "node-1.6", Map.of()));
        callTarget.set(greeter);
        try {
            assertEquals("{\"relayed\":{\"message\":\"Hello\",\"instance\":\"node-1.5\",\"request\":{}}}",
                    await(relayer.call("handle", "{}")));
        } finally {
            callTarget.set(null);
        }
        await(store.deactivate(greeter));
        await(store.deactivate(relayer));
        await(store.unload(greeting));
        await(store.unload(relay));
    }

    @Test
    void unknownArtifactFailsLoadingWithTheResolversReason() {
        SliceFailure failure = failure(store.load(Artifact.parse("io.test:missing:9.9.9")));

        assertEquals(SliceState.LOADING, failure.failedIn());
        assertTrue(failure.getMessage().startsWith("cannot resolve io.test:missing:9.9.9 from [file:"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("io.test:missing:jar:9.9.9"), failure.getMessage());
        assertTrue(failure.getMessage().toLowerCase().contains("not found")
                || failure.getMessage().toLowerCase().contains("could not find"), failure.getMessage());
    }

    @Test
    void corruptedJarIsRefusedWithAChecksumReason(@TempDir Path own) throws Exception {
        TestRepository corrupt = new TestRepository(own);
        Path jar = corrupt.publish(TestRepository.jar("io.test:tampered:1.0.0").service("t.Tampered")
                .source("t.Tampered", """
                        package t;
                        public class Tampered implements io.aether.slice.api.LeanSlice {
                            public java.util.concurrent.CompletionStage<String> call(String json) {
                                return java.util.concurrent.CompletableFuture.completedFuture("{}");
                            }
                        }
                        """));
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(jar, bytes);
        try (MavenSliceStore own1 = new MavenSliceStore(SliceStoreConfig.of(java.util.List.of(corrupt.asRepository()),
                own.resolve("cache")), (a, e, j, d) -> CompletableFuture.failedFuture(new SliceException(503, "none")))) {
            SliceFailure failure = failure(own1.load(Artifact.parse("io.test:tampered:1.0.0")));

            assertEquals(SliceState.LOADING, failure.failedIn());
            assertTrue(failure.getMessage().toLowerCase().contains("checksum"), failure.getMessage());
            assertTrue(failure.getMessage().contains("io.test:tampered"), failure.getMessage());
        }
    }

    @Test
    void jarWithoutASliceServiceFailsLoading() {
        SliceFailure failure = failure(store.load(Artifact.parse(TestSlices.NO_SERVICE)));

        assertEquals(SliceState.LOADING, failure.failedIn());
        assertEquals(TestSlices.NO_SERVICE + ": load failed: it must declare exactly one io.aether.slice.api.Slice in"
                + " META-INF/services/io.aether.slice.api.Slice, found 0", failure.getMessage());
    }

    @Test
    void jarWithTwoSliceServicesFailsLoadingNamingBoth() {
        SliceFailure failure = failure(store.load(Artifact.parse(TestSlices.TWO_SERVICES)));

        assertEquals(SliceState.LOADING, failure.failedIn());
        assertTrue(failure.getMessage().endsWith("found 2: [t.One, t.Two]"), failure.getMessage());
    }

    @Test
    void activateThatThrowsOrFailsItsStageFailsWithTheSlicesMessage() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.FAULTY_ACTIVATE)));

        SliceFailure thrown = failure(store.activate(loaded, "node-1.7", Map.of()));
        SliceFailure failedStage = failure(store.activate(loaded, "node-1.8", Map.of("mode", "stage")));

        assertEquals(SliceState.ACTIVATING, thrown.failedIn());
        assertEquals(TestSlices.FAULTY_ACTIVATE + " instance node-1.7: activate failed: database unreachable",
                thrown.getMessage());
        assertEquals(TestSlices.FAULTY_ACTIVATE + " instance node-1.8: activate failed: cache warm-up failed",
                failedStage.getMessage());
        await(store.unload(loaded));
    }

    @Test
    void activateThatNeverCompletesFailsAfterTheTimeout() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.STUCK)));
        long start = System.nanoTime();

        SliceFailure failure = failure(store.activate(loaded, "node-1.9", Map.of()));

        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(SliceState.ACTIVATING, failure.failedIn());
        assertEquals(TestSlices.STUCK + " instance node-1.9: activate timed out after " + ACTIVATE_TIMEOUT.toMillis()
                + " ms", failure.getMessage());
        assertTrue(tookMs >= ACTIVATE_TIMEOUT.toMillis() && tookMs < ACTIVATE_TIMEOUT.toMillis() + 3000,
                "took " + tookMs + " ms");
        await(store.unload(loaded));
    }

    @Test
    void deactivateThatThrowsFailsButTheSliceCanStillBeUnloaded() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.FAULTY_DEACTIVATE)));
        SliceInstance instance = await(store.activate(loaded, "node-1.10", Map.of()));

        SliceFailure failure = failure(store.deactivate(instance));

        assertEquals(SliceState.DEACTIVATING, failure.failedIn());
        assertEquals(TestSlices.FAULTY_DEACTIVATE + " instance node-1.10: deactivate failed: flush failed",
                failure.getMessage());
        assertEquals(503, sliceError(instance.call("handle", "{}")).status());
        await(store.unload(loaded));
    }

    @Test
    void callToAnUndeclaredEntryPointFailsWith404NamingTheDeclaredOnes() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.GREETING)));
        SliceInstance instance = await(store.activate(loaded, "node-1.11", Map.of()));

        SliceException error = sliceError(instance.call("farewell", "{}"));

        assertEquals(404, error.status());
        assertEquals("entry point 'farewell' not declared by " + TestSlices.GREETING + "; declared: [greet, info]",
                error.getMessage());
        await(store.deactivate(instance));
        await(store.unload(loaded));
    }

    @Test
    void entryPointErrorsKeepTheSlicesStatusOrBecome500WithTheMessage() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.FAULTY_CALL)));
        SliceInstance instance = await(store.activate(loaded, "node-1.12", Map.of()));

        SliceException status = sliceError(instance.call("status", "{}"));
        SliceException thrown = sliceError(instance.call("throws", "{}"));
        SliceException failedStage = sliceError(instance.call("failedStage", "{}"));

        assertEquals(422, status.status());
        assertEquals("name is required", status.getMessage());
        assertEquals(500, thrown.status());
        assertEquals(TestSlices.FAULTY_CALL + " entry point 'throws' failed: java.lang.IllegalArgumentException: "
                + "bad input", thrown.getMessage());
        assertEquals(500, failedStage.status());
        assertInstanceOf(ArithmeticException.class, failedStage.getCause());
        assertEquals("{\"tccl\":\"slice:" + TestSlices.FAULTY_CALL + "\"}", await(instance.call("loader", "{}")));
        await(store.deactivate(instance));
        await(store.unload(loaded));
    }

    @Test
    void unloadWhileAnInstanceIsActiveFailsAndKeepsTheSliceUsable() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.VERSIONED_1)));
        SliceInstance instance = await(store.activate(loaded, "node-1.13", Map.of()));

        SliceFailure failure = failure(store.unload(loaded));

        assertEquals(SliceState.UNLOADING, failure.failedIn());
        assertTrue(failure.getMessage().endsWith("instances still active (deactivate them first): [node-1.13]"),
                failure.getMessage());
        assertEquals("{\"version\":\"1.0.0\"}", await(instance.call("handle", "{}")));
        await(store.deactivate(instance));
        await(store.unload(loaded));
    }

    @Test
    void unloadedClassLoaderIsCollected() throws Exception {
        WeakReference<ClassLoader> loader = loadUseAndUnload();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (loader.get() != null && System.nanoTime() < deadline) {
            System.gc();
            // Garbage is produced so that a lazy collector has a reason to run; this is not a wait for a condition.
            byte[][] pressure = new byte[64][];
            for (int i = 0; i < pressure.length; i++) {
                pressure[i] = new byte[64 * 1024];
            }
        }
        assertNull(loader.get(), "the class loader of an unloaded slice is still reachable");
    }

    private static WeakReference<ClassLoader> loadUseAndUnload() throws Exception {
        LoadedSlice loaded = await(store.load(Artifact.parse(TestSlices.GREETING)));
        WeakReference<ClassLoader> loader = new WeakReference<>(((StoreLoadedSlice) loaded).classLoader());
        SliceInstance instance = await(store.activate(loaded, "node-1.14", Map.of()));
        await(instance.call("greet", "{}"));
        await(store.deactivate(instance));
        await(store.unload(loaded));
        assertNull(((StoreLoadedSlice) loaded).classLoader());
        return loader;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static SliceFailure failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(SliceFailure.class, e.getCause());
    }

    private static SliceException sliceError(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(SliceException.class, e.getCause());
    }
}
