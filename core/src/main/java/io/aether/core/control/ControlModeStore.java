package io.aether.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.aether.core.client.KvClient;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.Watch;
import io.aether.core.kv.WatchEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control modes, mirrored on every node by one watch on {@code controller/mode}: the global mode at
 * {@code controller/mode} and each layer's own at {@code controller/mode/l1}, {@code /l2}, {@code /l3}, each
 * {@code {"v":1,"mode":"apply","actor":"human:ops","at":"..."}}. A layer acts under its {@linkplain #effective
 * effective} mode, the more restrictive of the global mode and its own (observe &lt; propose &lt; apply), so a
 * global {@code observe} silences every layer. Until a key is written (or after it is deleted) its configured
 * default holds; a value that does not decode is logged and leaves the mode as it was. Every change made through
 * {@link #set} leaves a {@code mode} receipt.
 */
public final class ControlModeStore implements AutoCloseable {

    public static final String KEY = "controller/mode";
    /** The layers that have a mode of their own. */
    public static final List<Layer> LAYERS = List.of(Layer.L1, Layer.L2, Layer.L3);
    private static final System.Logger LOG = System.getLogger(ControlModeStore.class.getName());

    private final KvClient kv;
    private final Clock clock;
    private final ReceiptLedger ledger;
    private final ControlMode globalDefault;
    private final Map<Layer, ControlMode> layerDefaults;
    private volatile ControlMode global;
    private final Map<Layer, ControlMode> layers = new ConcurrentHashMap<>();
    private volatile Watch watch;

    private ControlModeStore(KvClient kv, Clock clock, ReceiptLedger ledger, ControlMode globalDefault,
                             Map<Layer, ControlMode> layerDefaults) {
        this.kv = kv;
        this.clock = clock;
        this.ledger = ledger;
        this.globalDefault = globalDefault;
        this.layerDefaults = new EnumMap<>(Layer.class);
        for (Layer l : LAYERS) {
            ControlMode m = layerDefaults.get(l);
            if (m == null) {
                throw new IllegalArgumentException("control modes: no default mode for layer " + l);
            }
            this.layerDefaults.put(l, m);
        }
        this.global = globalDefault;
        this.layers.putAll(this.layerDefaults);
    }

    /**
     * Reads the modes and watches them; completes when the first read is in.
     *
     * @param globalDefault the global mode until {@code controller/mode} is written
     * @param layerDefaults each of L1, L2, L3's mode until its key is written
     * @param ledger        where mode changes leave their receipts
     */
    public static CompletableFuture<ControlModeStore> start(KvClient kv, Clock clock, ControlMode globalDefault,
                                                            Map<Layer, ControlMode> layerDefaults,
                                                            ReceiptLedger ledger) {
        ControlModeStore store = new ControlModeStore(kv, clock, ledger, globalDefault, layerDefaults);
        // Prefix KEY covers the global key and the per-layer keys under it: one read, one watch.
        return kv.range(KEY, 16).thenApply(r -> {
            for (KeyValue stored : r.kvs()) {
                store.accept(stored.key(), stored.value());
            }
            store.watch = kv.watch(KEY, r.revision() + 1, (revision, events) -> store.onEvents(events));
            return store;
        });
    }

    /** {@code controller/mode/l2} for {@link Layer#L2}; L1..L3 only. */
    public static String key(Layer layer) {
        requireLayer(layer);
        return KEY + "/" + layer.name().toLowerCase(Locale.ROOT);
    }

    /** The global mode. */
    public ControlMode mode() {
        return global;
    }

    /** {@code layer}'s own mode (before the global one restricts it). */
    public ControlMode mode(Layer layer) {
        requireLayer(layer);
        return layers.get(layer);
    }

    /** The mode {@code layer}'s decisions go through the guardrails under: the more restrictive of global and own. */
    public ControlMode effective(Layer layer) {
        ControlMode own = mode(layer);
        ControlMode g = global;
        return own.ordinal() < g.ordinal() ? own : g;
    }

    /** Writes the global mode and leaves a {@code mode} receipt ({@code "mode: apply -> observe"}). */
    public CompletableFuture<Receipt> set(ControlMode next, String actor) {
        return write(KEY, "mode", global, next, actor).thenApply(r -> {
            global = next;
            return r;
        });
    }

    /** Writes {@code layer}'s own mode and leaves a {@code mode} receipt ({@code "mode l2: propose -> apply"}). */
    public CompletableFuture<Receipt> set(Layer layer, ControlMode next, String actor) {
        String key = key(layer);
        return write(key, "mode " + layer.name().toLowerCase(Locale.ROOT), layers.get(layer), next, actor)
                .thenApply(r -> {
                    layers.put(layer, next);
                    return r;
                });
    }

    private CompletableFuture<Receipt> write(String key, String what, ControlMode from, ControlMode next,
                                             String actor) {
        String json = "{\"v\":1,\"mode\":\"" + name(next) + "\",\"actor\":"
                + DecisionCodec.JSON.getNodeFactory().textNode(actor) + ",\"at\":\"" + clock.instant() + "\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return kv.put(key, bytes).thenCompose(revision -> ledger.append(new ReceiptDraft(actor, Layer.HUMAN,
                ReceiptCodec.sha256(bytes), "{\"key\":\"" + key + "\",\"value\":" + json + "}",
                what + ": " + name(from) + " -> " + name(next), "mode")));
    }

    private void onEvents(List<WatchEvent> events) {
        for (WatchEvent e : events) {
            if (e.type() == WatchEvent.Type.DELETE) {
                layerOf(e.kv().key()).ifPresentOrElse(l -> layers.put(l, layerDefaults.get(l)), () -> {
                    if (e.kv().key().equals(KEY)) {
                        global = globalDefault;
                    }
                });
            } else {
                accept(e.kv().key(), e.kv().value());
            }
        }
    }

    private void accept(String key, byte[] value) {
        Optional<Layer> layer = layerOf(key);
        if (layer.isEmpty() && !key.equals(KEY)) {
            return;
        }
        try {
            ControlMode m = decode(value);
            layer.ifPresentOrElse(l -> layers.put(l, m), () -> global = m);
        } catch (IllegalArgumentException ex) {
            LOG.log(Level.WARNING, "'" + key + "': " + ex.getMessage() + "; the mode stays "
                    + layer.map(layers::get).orElse(global));
        }
    }

    private static Optional<Layer> layerOf(String key) {
        for (Layer l : LAYERS) {
            if (key.equals(key(l))) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
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

    private static String name(ControlMode m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private static void requireLayer(Layer layer) {
        if (!LAYERS.contains(layer)) {
            throw new IllegalArgumentException("layer " + layer + " has no mode of its own; one of l1, l2, l3");
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
