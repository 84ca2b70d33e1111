package io.aether.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.aether.core.client.KvClient;
import io.aether.core.client.KvMirror;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every slice's governor state as the leader last stored it at {@code governors/{artifact}} (docs/controller.md
 * "Governors"), kept current on every node by one {@link KvMirror}; the router asks it for admission control. Reads
 * are lock-free lookups in an immutable map that each change replaces as a whole. A value that does not decode is
 * logged and ignored: the artifact keeps the state it had, so a bad write can neither open nor close admission.
 */
public final class GovernorMirror implements AutoCloseable {

    /** The KV prefix of governor states. */
    public static final String PREFIX = "governors/";
    private static final System.Logger LOG = System.getLogger(GovernorMirror.class.getName());

    /** One slice's governor as stored: its state, the state before, why it moved and since when. */
    public record Status(String artifact, GovernorState state, GovernorState from, String why, Instant since) {
    }

    /** Only the mirror's listener writes it, one batch at a time; readers see {@link #statuses}. */
    private final Map<String, Status> decoded = new HashMap<>();
    private volatile Map<String, Status> statuses = Map.of();
    private final KvMirror mirror;

    private GovernorMirror(KvClient kv) {
        this.mirror = KvMirror.start(kv, PREFIX, this::onChanges);
    }

    /**
     * Starts mirroring {@code governors/}; completes once the first read is in. A failed read is retried with
     * backoff in the background, so the future waits for the KV rather than failing.
     */
    public static CompletableFuture<GovernorMirror> start(KvClient kv) {
        GovernorMirror m = new GovernorMirror(kv);
        return m.mirror.ready().thenApply(v -> m);
    }

    /** The governor of {@code artifact} ({@code group:artifact:version}); empty when none was stored. */
    public Optional<Status> status(String artifact) {
        return Optional.ofNullable(statuses.get(artifact));
    }

    /** Every stored governor, by artifact (an immutable copy). */
    public Map<String, Status> all() {
        return statuses;
    }

    /** The KV revision the copy reflects. */
    public long revision() {
        return mirror.revision();
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        mirror.close();
    }

    private void onChanges(List<KvMirror.Change> changes) {
        for (KvMirror.Change c : changes) {
            String artifact = c.key().substring(PREFIX.length());
            if (c.after().isEmpty()) {
                decoded.remove(artifact);
                continue;
            }
            try {
                decoded.put(artifact, decode(c.key(), c.after().get().value()));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "governor mirror: ignoring {0} (state of ''{1}'' stays {2}): {3}", c.key(),
                        artifact, Optional.ofNullable(decoded.get(artifact)).map(s -> lower(s.state()))
                                .orElse("unknown"), e.getMessage());
            }
        }
        statuses = Map.copyOf(decoded);
    }

    /** Decodes {@code {"v":1,"artifact","state","from","why","since"}}; throws naming the broken field. */
    static Status decode(String key, byte[] value) {
        JsonNode n;
        try {
            n = DecisionCodec.JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        if (n.path("v").asInt(-1) != 1) {
            throw new IllegalArgumentException("v: must be 1, was " + n.get("v"));
        }
        String artifact = n.path("artifact").asText("");
        if (!key.equals(PREFIX + artifact)) {
            throw new IllegalArgumentException("artifact: '" + artifact + "' does not match the key");
        }
        GovernorState state = state(n, "state");
        GovernorState from = n.hasNonNull("from") ? state(n, "from") : GovernorState.BOOT;
        Instant since;
        try {
            since = Instant.parse(n.path("since").asText(""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since: '" + n.path("since").asText("") + "' is not an ISO-8601 instant");
        }
        return new Status(artifact, state, from, n.path("why").asText(""), since);
    }

    private static GovernorState state(JsonNode n, String field) {
        String text = n.path(field).asText("");
        for (GovernorState s : GovernorState.values()) {
            if (lower(s).equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException(field + ": '" + text
                + "' is not one of boot, stable, warning, intervening, degraded, refusing");
    }

    private static String lower(GovernorState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
