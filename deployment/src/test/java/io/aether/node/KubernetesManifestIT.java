package io.aether.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The manifests the build generates, with the hand-written fragments merged in. */
class KubernetesManifestIT {

    private static List<JsonNode> resources;

    @BeforeAll
    static void readManifest() throws IOException {
        Path yaml = Path.of("target", "kubernetes", "kubernetes.yml");
        assertTrue(Files.exists(yaml), "the build did not generate " + yaml.toAbsolutePath());
        resources = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(yaml.toFile())) {
            docs.forEachRemaining(resources::add);
        }
    }

    private static JsonNode resource(String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.path("kind").asText()) && name.equals(r.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in kubernetes.yml"));
    }

    private static JsonNode container() {
        return resource("StatefulSet", "aether-node").at("/spec/template/spec/containers/0");
    }

    @Test
    void coreNodesRunAsAStatefulSetWithStableDnsAndAVolumeForTheWal() {
        JsonNode sts = resource("StatefulSet", "aether-node");
        assertEquals(3, sts.at("/spec/replicas").asInt());
        assertEquals("aether-node-peers", sts.at("/spec/serviceName").asText());
        JsonNode claim = sts.at("/spec/volumeClaimTemplates/0");
        assertEquals("data", claim.at("/metadata/name").asText());
        assertEquals("ReadWriteOnce", claim.at("/spec/accessModes/0").asText());
        JsonNode mount = container().at("/volumeMounts/0");
        assertEquals("data", mount.path("name").asText());
        assertEquals("/var/lib/aether", mount.path("mountPath").asText());
        assertTrue(container().path("resources").has("requests") && container().path("resources").has("limits"));
    }

    @Test
    void probesAreWiredToSmallRyeHealth() {
        JsonNode c = container();
        assertEquals("/q/health/started", c.at("/startupProbe/httpGet/path").asText());
        assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText());
        assertEquals(8080, c.at("/readinessProbe/httpGet/port").asInt());
    }

    @Test
    void containerExposesHttpPeerAndCallPorts() {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        container().path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
        assertEquals(java.util.Set.of(7100, 7200, 8080), ports);
    }

    @Test
    void headlessServiceServesThePeerPort() {
        JsonNode svc = resource("Service", "aether-node-peers");
        assertEquals("None", svc.at("/spec/clusterIP").asText());
        assertEquals(7100, svc.at("/spec/ports/0/port").asInt());
        assertEquals("aether-node", svc.at("/spec/selector/app.kubernetes.io~1name").asText());
    }

    @Test
    void disruptionBudgetKeepsAQuorum() {
        JsonNode pdb = resource("PodDisruptionBudget", "aether-node");
        assertEquals(2, pdb.at("/spec/minAvailable").asInt());
        assertEquals("aether-node", pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
    }

    @Test
    void networkPolicyAdmitsOnlyAetherNodesToThePeerAndCallPorts() {
        JsonNode policy = resource("NetworkPolicy", "aether-node-peer");
        JsonNode peerRule = policy.at("/spec/ingress/0");
        assertEquals(7100, peerRule.at("/ports/0/port").asInt());
        assertEquals(7200, peerRule.at("/ports/1/port").asInt());
        assertEquals("aether-node", peerRule.at("/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText());
        assertNotNull(policy.at("/spec/podSelector/matchLabels"));
    }

    @Test
    void outputIsReproducible() {
        resources.forEach(r -> assertTrue(r.at("/metadata/annotations/app.quarkus.io~1build-timestamp").isMissingNode(),
                () -> "build timestamp present in " + r.path("kind").asText()));
    }
}
