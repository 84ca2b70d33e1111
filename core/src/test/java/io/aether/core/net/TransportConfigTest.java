package io.aether.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportConfigTest {
    private static final Map<String, HostAndPort> PEERS = Map.of(
            "b", HostAndPort.parse("10.0.0.2:7000"),
            "a", HostAndPort.parse("10.0.0.1:7000"),
            "c", HostAndPort.parse("10.0.0.3:7000"));

    private static String rejection(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void eachNodeDialsOnlyThePeersWhoseIdsSortAfterItsOwn() {
        assertEquals(List.of("b", "c"),
                List.copyOf(TransportConfig.defaults("a", 1, "0.0.0.0", 7000, PEERS).dialedPeers().keySet()));
        assertEquals(List.of("c"),
                List.copyOf(TransportConfig.defaults("b", 1, "0.0.0.0", 7000, PEERS).dialedPeers().keySet()));
        assertTrue(TransportConfig.defaults("c", 1, "0.0.0.0", 7000, PEERS).dialedPeers().isEmpty());
    }

    @Test
    void invalidSettingsAreRejectedWithTheFieldAndTheFix() {
        TransportConfig ok = TransportConfig.defaults("a", 1, "0.0.0.0", 7000, PEERS);
        assertTrue(rejection(() -> ok.withFrameBounds(1024, 1000)).contains("set it to at least 1028"));
        assertTrue(rejection(() -> ok.withFrameBounds(5, 1 << 20)).contains("below the smallest frame"));
        assertTrue(rejection(() -> ok.withHeartbeatInterval(Duration.ZERO)).contains("heartbeatInterval"));
        assertTrue(rejection(() -> TransportConfig.defaults("", 1, "h", 1, PEERS)).contains("nodeId"));
        assertTrue(rejection(() -> TransportConfig.defaults("a", 1, "h", 70000, PEERS)).contains("70000"));
        assertTrue(rejection(() -> new TransportConfig("a", 1, "h", 1, PEERS, "", 1024, 4096,
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1))
                .contains("reconnectMaxBackoff"));
        assertTrue(rejection(() -> TransportClientConfig.defaults("c", 1, List.of())).contains("at least one"));
    }

    @Test
    void addressesParseAndPrintAsHostColonPort() {
        assertEquals(new HostAndPort("::1", 7000), HostAndPort.parse("[::1]:7000"));
        assertEquals("[::1]:7000", new HostAndPort("::1", 7000).toString());
        assertTrue(rejection(() -> HostAndPort.parse("node-a")).contains("not host:port"));
    }

    @Test
    void backoffDoublesWithJitterUpToItsCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (long ceiling : ceilings) {
            long delay = backoff.nextDelayMs();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " not in [" + ceiling / 2 + ", " + ceiling
                    + "]");
        }
        backoff.reset();
        assertTrue(backoff.nextDelayMs() <= 100);
    }
}
