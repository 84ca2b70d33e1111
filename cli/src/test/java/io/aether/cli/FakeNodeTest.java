package io.aether.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of CLI tests that talk to one {@link FakeNode}: a fresh node per test, a temporary home directory,
 * and {@link #aether} to run the CLI against the node (via {@code AETHER_URL}).
 */
abstract class FakeNodeTest {

    FakeNode node;
    @TempDir
    Path home;

    @BeforeEach
    void startNode() throws IOException {
        node = new FakeNode();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    /** Runs the CLI with {@code args} against {@link #node}. */
    CliRun aether(String... args) {
        return CliRun.run(Map.of("AETHER_URL", node.url()), home, args);
    }
}
