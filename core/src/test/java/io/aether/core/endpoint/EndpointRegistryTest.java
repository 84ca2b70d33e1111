package io.aether.core.endpoint;

import static io.aether.core.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.slice.Artifact;
import io.aether.core.testing.RealKv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointRegistryTest {

    private static final Artifact V1 = Artifact.parse("org.acme:cart:1.0");
    private static final Artifact V2 = Artifact.parse("org.acme:cart:2.0");

    @TempDir
    static Path dir;
    private static RealKv kv;

    @BeforeAll
    static void startKv() throws Exception {
        kv = new RealKv(dir);
    }

    @AfterAll
    static void stopKv() {
        kv.close();
    }

    private static void publish(Artifact artifact, String entry, String node, String instance, String state) {
        kv.put(EndpointKeys.key(artifact, entry, instance), new String(EndpointCodec.encode(
                new EndpointRecord(artifact, entry, node, instance, state)), StandardCharsets.UTF_8));
    }

    private static List<String> instances(List<EndpointRecord> records) {
        return records.stream().map(EndpointRecord::instanceId).toList();
    }

    private static EndpointRegistry start(Set<String> live) throws Exception {
        return EndpointRegistry.start(kv.client, live::contains).get(10, TimeUnit.SECONDS);
    }

    @Test
    void indexesEndpointsByVersionedAndVersionlessArtifactAndEntry() throws Exception {
        publish(V1, "add", "n1", "n1.0", "ACTIVE");
        publish(V2, "add", "n2", "n2.0", "ACTIVE");
        publish(V2, "remove", "n2", "n2.0", "ACTIVE");
        try (EndpointRegistry registry = start(Set.of("n1", "n2"))) {
            assertEquals(List.of("n1.0", "n2.0"), instances(registry.endpoints("org.acme:cart", "add")));
            assertEquals(List.of("n1.0"), instances(registry.endpoints("org.acme:cart:1.0", "add")));
            assertEquals(List.of("n2.0"), instances(registry.endpoints("org.acme:cart:2.0", "remove")));
            assertEquals(List.of(), registry.endpoints("org.acme:cart:1.0", "remove"));
            assertEquals(List.of(), registry.endpoints("org.acme:other", "add"));
            assertTrue(registry.revision() > 0);
        } finally {
            kv.delete(EndpointKeys.key(V1, "add", "n1.0"));
            kv.delete(EndpointKeys.key(V2, "add", "n2.0"));
            kv.delete(EndpointKeys.key(V2, "remove", "n2.0"));
        }
    }

    @Test
    void endpointsOfANodeThatIsNotLiveAreSkippedBeforeTheirKeysAreDeleted() throws Exception {
        Artifact a = Artifact.parse("org.acme:live:1");
        publish(a, "go", "n1", "n1.0", "ACTIVE");
        publish(a, "go", "n2", "n2.0", "ACTIVE");
        Set<String> live = ConcurrentHashMap.newKeySet();
        live.addAll(Set.of("n1", "n2"));
        try (EndpointRegistry registry = start(live)) {
            assertEquals(List.of("n1.0", "n2.0"), instances(registry.endpoints("org.acme:live", "go")));
            live.remove("n1");
            assertEquals(List.of("n2.0"), instances(registry.endpoints("org.acme:live", "go")));
            assertEquals(List.of("n2.0"), instances(registry.all().stream()
                    .filter(r -> r.artifact().equals(a)).toList()));
        }
    }

    @Test
    void watchedPutsAndDeletesChangeTheIndexAndNotifyListeners() throws Exception {
        Artifact a = Artifact.parse("org.acme:watched:1");
        try (EndpointRegistry registry = start(Set.of("n1", "n2"))) {
            AtomicInteger changes = new AtomicInteger();
            registry.addListener(changes::incrementAndGet);
            publish(a, "go", "n1", "n1.0", "ACTIVE");
            publish(a, "go", "n2", "n2.3", "ACTIVE");
            until("both endpoints indexed", () -> registry.endpoints("org.acme:watched", "go").size() == 2);
            kv.delete(EndpointKeys.key(a, "go", "n1.0"));
            until("the deleted endpoint gone", () -> instances(registry.endpoints("org.acme:watched:1", "go"))
                    .equals(List.of("n2.3")));
            assertTrue(changes.get() >= 3, "listener saw " + changes.get() + " changes");
            kv.delete(EndpointKeys.key(a, "go", "n2.3"));
            until("no endpoint left", () -> registry.endpoints("org.acme:watched", "go").isEmpty());
        }
    }

    @Test
    void onlyActiveEndpointsAreCallableButAllAreListed() throws Exception {
        Artifact a = Artifact.parse("org.acme:states:1");
        publish(a, "go", "n1", "n1.0", "DEACTIVATING");
        publish(a, "go", "n1", "n1.1", "ACTIVE");
        try (EndpointRegistry registry = start(Set.of("n1"))) {
            assertEquals(List.of("n1.1"), instances(registry.endpoints("org.acme:states:1", "go")));
            assertEquals(List.of("n1.0", "n1.1"), instances(registry.all().stream()
                    .filter(r -> r.artifact().equals(a)).toList()));
        }
    }

    @Test
    void anUnreadableValueIsSkippedAndTheOthersServed() throws Exception {
        Artifact a = Artifact.parse("org.acme:bad:1");
        kv.put(EndpointKeys.key(a, "go", "n1.0"), "{not json");
        publish(a, "go", "n1", "n1.1", "ACTIVE");
        try (EndpointRegistry registry = start(Set.of("n1"))) {
            assertEquals(List.of("n1.1"), instances(registry.endpoints("org.acme:bad", "go")));
            kv.put(EndpointKeys.key(a, "go", "n1.1"), "{\"v\":2,\"node\":\"n1\"}");
            until("the now unreadable endpoint dropped", () -> registry.endpoints("org.acme:bad", "go")
                    .isEmpty());
        } finally {
            kv.delete(EndpointKeys.key(a, "go", "n1.0"));
            kv.delete(EndpointKeys.key(a, "go", "n1.1"));
        }
    }

    @Test
    void aClosedRegistryStopsFollowingTheKv() throws Exception {
        Artifact a = Artifact.parse("org.acme:closed:1");
        EndpointRegistry registry = start(Set.of("n1"));
        registry.close();
        publish(a, "go", "n1", "n1.0", "ACTIVE");
        Artifact marker = Artifact.parse("org.acme:marker:1");
        try (EndpointRegistry other = start(Set.of("n1"))) {
            publish(marker, "go", "n1", "n1.9", "ACTIVE");
            until("a live registry saw the marker", () -> !other.endpoints("org.acme:marker", "go").isEmpty());
        }
        assertEquals(List.of(), registry.endpoints("org.acme:closed", "go"));
    }
}
