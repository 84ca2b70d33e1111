package io.aether.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started with bad configuration stops with exit code 78 and one line naming the key. */
class BadConfigIT {

    @TempDir
    Path dir;

    private Map<String, String> base() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.http.port", String.valueOf(NodeProcess.freePort()));
        props.put("aether.cluster.peer-host", "127.0.0.1");
        props.put("aether.cluster.peer-port", String.valueOf(NodeProcess.freePort()));
        props.put("aether.node.id", "n1");
        props.put("aether.cluster.call-port", String.valueOf(NodeProcess.freePort()));
        props.put("aether.slices.repositories", "file:" + LocalCluster.SLICE_REPOSITORY);
        props.put("aether.data-dir", dir.resolve("data").toString());
        props.put("quarkus.log.console.json.enabled", "false");
        return props;
    }

    private void assertRefused(Map<String, String> props, String expectedLine) throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("run"), props)) {
            int code = node.awaitExit(60);
            String output = node.output();
            assertEquals(78, code, output);
            assertTrue(output.lines().anyMatch(l -> l.equals("aether-node: invalid configuration: " + expectedLine)),
                    "expected the line '" + expectedLine + "' in:\n" + output);
        }
    }

    @Test
    void unknownRole() throws Exception {
        Map<String, String> props = base();
        props.put("aether.node.role", "boss");
        assertRefused(props, "aether.node.role: unknown role 'boss'; expected core or worker");
    }

    @Test
    void anOutOfRangeLayerOneRule() throws Exception {
        Map<String, String> props = base();
        props.put("aether.controller.l1.target-utilisation", "1.5");
        assertRefused(props, "aether.controller.l1: targetUtilisation 1.5 is outside (0,1]");
    }

    @Test
    void aMissingSliceRepository() throws Exception {
        Map<String, String> props = base();
        props.put("aether.slices.repositories", "file:" + dir.resolve("no-such-repo"));
        try (NodeProcess node = NodeProcess.start(dir.resolve("run"), props)) {
            assertEquals(78, node.awaitExit(60), node.output());
            assertTrue(node.output().contains("aether-node: invalid configuration: aether.slices.repositories: 'file:"),
                    node.output());
        }
    }

    @Test
    void duplicatePeerId() throws Exception {
        Map<String, String> props = base();
        props.put("aether.cluster.peers", "n1@127.0.0.1:7001,n2@127.0.0.1:7002,n1@127.0.0.1:7003");
        assertRefused(props, "aether.cluster.peers: duplicate peer id 'n1'");
    }

    @Test
    void unwritableDataDir() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Map<String, String> props = base();
        props.put("aether.data-dir", file.resolve("wal").toString());
        try (NodeProcess node = NodeProcess.start(dir.resolve("run"), props)) {
            assertEquals(78, node.awaitExit(60), node.output());
            assertTrue(node.output().contains("aether-node: invalid configuration: aether.data-dir: '"
                    + file.resolve("wal") + "' is not writable"), node.output());
        }
    }

    @Test
    void peerPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> props = base();
            props.put("aether.cluster.peer-port", String.valueOf(taken.getLocalPort()));
            try (NodeProcess node = NodeProcess.start(dir.resolve("run"), props)) {
                assertEquals(78, node.awaitExit(60), node.output());
                assertTrue(node.output().contains("aether-node: invalid configuration: aether.cluster.peer-port: port "
                        + taken.getLocalPort() + " on 127.0.0.1 is already in use"), node.output());
            }
        }
    }

    @Test
    void httpPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            Map<String, String> props = base();
            props.put("quarkus.http.port", String.valueOf(taken.getLocalPort()));
            try (NodeProcess node = NodeProcess.start(dir.resolve("run"), props)) {
                assertEquals(78, node.awaitExit(60), node.output());
                assertTrue(node.output().contains("aether-node: invalid configuration: quarkus.http.port: port "
                        + taken.getLocalPort() + " on 0.0.0.0 is already in use"), node.output());
            }
        }
    }
}
