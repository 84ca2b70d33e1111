package io.aether.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.client.KvClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GovernorMirrorTest {

    private static final String CART = "g:cart:1";

    @TempDir
    Path dir;
    private RealKv kv;
    private KvClient writer;
    private GovernorMirror mirror;

    @BeforeEach
    void start() throws Exception {
        kv = new RealKv(dir);
        writer = kv.client("writer");
        mirror = GovernorMirror.start(kv.client("mirror")).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        mirror.close();
        kv.close();
    }

    /** The value ControlLoop stores on a transition. */
    private static String value(String artifact, String state, String from, String since) {
        return "{\"v\":1,\"artifact\":\"" + artifact + "\",\"state\":\"" + state + "\",\"from\":\"" + from
                + "\",\"why\":\"3 s: errors 1.0 vs SLO 0.01 -> " + state + "\",\"since\":\"" + since + "\"}";
    }

    private void put(String artifact, String json) throws Exception {
        writer.put(GovernorMirror.PREFIX + artifact, json.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what);
            }
            Thread.sleep(10); // polling interval of a deadline-bounded wait
        }
    }

    private Optional<GovernorState> state(String artifact) {
        return mirror.status(artifact).map(GovernorMirror.Status::state);
    }

    @Test
    void aStoredTransitionIsSeenWithItsStatePreviousStateReasonAndSince() throws Exception {
        put(CART, value(CART, "refusing", "degraded", "2026-12-01T10:00:00Z"));
        await("refusing to be mirrored", () -> state(CART).isPresent());
        GovernorMirror.Status s = mirror.status(CART).orElseThrow();
        assertEquals(GovernorState.REFUSING, s.state());
        assertEquals(GovernorState.DEGRADED, s.from());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), s.since());
        assertTrue(s.why().contains("errors 1.0"), s.why());
    }

    @Test
    void aLaterTransitionReplacesTheStateAndADeletedKeyForgetsIt() throws Exception {
        put(CART, value(CART, "refusing", "degraded", "2026-12-01T10:00:00Z"));
        await("refusing", () -> state(CART).equals(Optional.of(GovernorState.REFUSING)));
        put(CART, value(CART, "stable", "refusing", "2026-12-01T10:00:10Z"));
        await("stable", () -> state(CART).equals(Optional.of(GovernorState.STABLE)));
        writer.delete(GovernorMirror.PREFIX + CART).get(10, TimeUnit.SECONDS);
        await("the governor to be forgotten", () -> state(CART).isEmpty());
    }

    @Test
    void aValueThatDoesNotDecodeLeavesTheStateAsItWas() throws Exception {
        put(CART, value(CART, "degraded", "warning", "2026-12-01T10:00:00Z"));
        await("degraded", () -> state(CART).equals(Optional.of(GovernorState.DEGRADED)));
        put(CART, "{\"v\":1,\"artifact\":\"" + CART + "\",\"state\":\"on-fire\"}");
        put("g:other:1", "not json");
        put("g:marker:1", value("g:marker:1", "warning", "stable", "2026-12-01T10:00:00Z"));
        await("the marker after the bad values", () -> state("g:marker:1").isPresent());
        assertEquals(Optional.of(GovernorState.DEGRADED), state(CART));
        assertEquals(Optional.empty(), state("g:other:1"));
    }

    @Test
    void aMirrorStartedLaterReadsWhatIsAlreadyStored() throws Exception {
        put(CART, value(CART, "refusing", "degraded", "2026-12-01T10:00:00Z"));
        try (GovernorMirror late = GovernorMirror.start(kv.client("late")).get(10, TimeUnit.SECONDS)) {
            assertEquals(GovernorState.REFUSING, late.status(CART).orElseThrow().state());
        }
    }

    @Test
    void decodingNamesTheBrokenField() {
        byte[] wrongKey = value("g:other:1", "stable", "boot", "2026-12-01T10:00:00Z").getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GovernorMirror.decode("governors/" + CART,
                wrongKey)).getMessage().startsWith("artifact: 'g:other:1' does not match the key"));
        byte[] badSince = value(CART, "stable", "boot", "yesterday").getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GovernorMirror.decode("governors/" + CART,
                badSince)).getMessage().startsWith("since: 'yesterday'"));
        byte[] badState = value(CART, "on-fire", "boot", "2026-12-01T10:00:00Z").getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GovernorMirror.decode("governors/" + CART,
                badState)).getMessage().contains("'on-fire' is not one of boot, stable"));
    }
}
