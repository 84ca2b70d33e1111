package io.aether.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.aether.core.client.KvClient;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.core.kv.Watch;
import io.aether.core.kv.WatchEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The control mode at {@code controller/mode} ({@code {"v":1,"mode":"apply","actor":"human:ops","at":"..."}}),
 * mirrored on every node by a watch. Until the key is written the mode is the configured default; a value that
 * does not decode is logged and leaves the mode as it was.
 */
public final class ControlModeStore implements AutoCloseable {

    public static final String KEY = "controller/mode";
    private static final System.Logger LOG = System.getLogger(ControlModeStore.class.getName());

    private final KvClient kv;
    private final Clock clock;
    private final ControlMode defaultMode;
    private volatile ControlMode mode;
    private volatile Watch watch;

    private ControlModeStore(KvClient kv, Clock clock, ControlMode defaultMode) {
        this.kv = kv;
        this.clock = clock;
        this.defaultMode = defaultMode;
        this.mode = defaultMode;
    }

    /** Reads the mode and watches it; completes when the first read is in. */
    public static CompletableFuture<ControlModeStore> start(KvClient kv, Clock clock, ControlMode defaultMode) {
        ControlModeStore store = new ControlModeStore(kv, clock, defaultMode);
        return kv.execute(new KvCommand.Get(KEY)).thenApply(r -> {
            if (!(r instanceof KvResult.GetResult get)) {
                throw new IllegalStateException("get '" + KEY + "' answered " + r);
            }
            get.kv().ifPresent(stored -> store.accept(stored.value()));
            store.watch = kv.watch(KEY, get.revision() + 1, (revision, events) -> store.onEvents(events));
            return store;
        });
    }

    public ControlMode mode() {
        return mode;
    }

    /** Writes {@code mode}; every node's mirror follows. */
    public CompletableFuture<Void> set(ControlMode next, String actor) {
        String json = "{\"v\":1,\"mode\":\"" + next.name().toLowerCase(Locale.ROOT) + "\",\"actor\":"
                + DecisionCodec.JSON.getNodeFactory().textNode(actor) + ",\"at\":\"" + clock.instant() + "\"}";
        return kv.put(KEY, json.getBytes(StandardCharsets.UTF_8)).thenApply(revision -> {
            mode = next;
            return null;
        });
    }

    private void onEvents(List<WatchEvent> events) {
        for (WatchEvent e : events) {
            if (!e.kv().key().equals(KEY)) {
                continue;
            }
            if (e.type() == WatchEvent.Type.DELETE) {
                mode = defaultMode;
            } else {
                accept(e.kv().value());
            }
        }
    }

    private void accept(byte[] value) {
        try {
            mode = decode(value);
        } catch (IllegalArgumentException ex) {
            LOG.log(Level.WARNING, "'" + KEY + "': " + ex.getMessage() + "; the mode stays " + mode);
        }
    }

    static ControlMode decode(byte[] value) {
        try {
            JsonNode n = DecisionCodec.JSON.readTree(value);
            if (n == null || n.path("v").asInt() != 1 || !n.path("mode").isTextual()) {
                throw new IllegalArgumentException("not a version-1 mode: " + new String(value, StandardCharsets.UTF_8));
            }
            return ControlMode.valueOf(n.get("mode").asText().toUpperCase(Locale.ROOT));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Watch w = watch;
        if (w != null) {
            w.cancel();
        }
    }
}
