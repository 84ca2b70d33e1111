package io.aether.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aether.core.client.KvClient;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The receipt chain in the KV: receipt {@code n} at {@code receipts/{n}} (20 digits, zero-padded), the chain head
 * at {@code receipts/head} ({@code {"v":1,"seq":n,"hash":"..."}}). An append reads the head, seals the draft after
 * it, and writes receipt and head in one txn guarded by the head's mod revision: of two concurrent appenders one
 * wins, the other re-reads and retries after a short random pause (at most {@value #MAX_ATTEMPTS} times), so the
 * chain never forks. One ledger serializes its own appends (at most {@value #MAX_PENDING} waiting; more fail at
 * once), so the head only races between nodes, not between callers on one node.
 */
public final class KvReceiptLedger implements ReceiptLedger {

    public static final String PREFIX = "receipts/";
    public static final String HEAD = PREFIX + "head";
    static final int MAX_ATTEMPTS = 16;
    static final int MAX_PENDING = 1000;
    /** The largest page {@link #list} reads. */
    public static final int MAX_LIST = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KvClient kv;
    private final Clock clock;
    /** The last append in flight: the next one starts when it is done. Guarded by {@code this}. */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private int pending;

    public KvReceiptLedger(KvClient kv, Clock clock) {
        this.kv = kv;
        this.clock = clock;
    }

    public static String key(long seq) {
        return PREFIX + String.format("%020d", seq);
    }

    /** The head of the chain: the last seq and its hash (seq 0 and {@link ReceiptCodec#GENESIS} when empty). */
    public record Head(long seq, String hash) {
    }

    @Override
    public synchronized CompletableFuture<Receipt> append(ReceiptDraft draft) {
        if (pending >= MAX_PENDING) {
            return CompletableFuture.failedFuture(new IllegalStateException(pending
                    + " receipts already wait to be appended, max " + MAX_PENDING + "; '" + draft.verdict()
                    + "' receipt of " + draft.actor() + " not appended"));
        }
        pending++;
        CompletableFuture<Receipt> appended = tail.handle((r, e) -> null).thenCompose(v -> attempt(draft, 1));
        tail = appended;
        appended.whenComplete((r, e) -> {
            synchronized (this) {
                pending--;
            }
        });
        return appended;
    }

    private CompletableFuture<Receipt> attempt(ReceiptDraft draft, int attempt) {
        return kv.execute(new KvCommand.Get(HEAD)).thenCompose(result -> {
            Optional<KeyValue> stored = getResult(result).kv();
            Head head = stored.map(kvPair -> decodeHead(kvPair.value())).orElse(new Head(0, ReceiptCodec.GENESIS));
            long expected = stored.map(KeyValue::modRevision).orElse(0L);
            Receipt receipt = ReceiptCodec.seal(draft, head.seq() + 1, clock.instant().truncatedTo(ChronoUnit.MILLIS),
                    head.hash());
            KvCommand.Txn txn = new KvCommand.Txn(
                    List.of(KvCommand.Compare.modRevision(HEAD, KvCommand.Compare.Operator.EQUAL, expected)),
                    List.of(new KvCommand.Put(key(receipt.seq()), ReceiptCodec.encode(receipt)),
                            new KvCommand.Put(HEAD, encodeHead(new Head(receipt.seq(), receipt.hash())))),
                    List.of());
            return kv.execute(txn).thenCompose(r -> {
                if (!(r instanceof KvResult.TxnResult t)) {
                    throw new IllegalStateException("append of receipt " + receipt.seq() + " answered " + r);
                }
                if (t.succeeded()) {
                    return CompletableFuture.completedFuture(receipt);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("receipt chain head moved " + MAX_ATTEMPTS
                            + " times while appending a '" + draft.verdict() + "' receipt; not appended");
                }
                // Random pause so two nodes that collided do not collide again in lockstep.
                long pauseMs = java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2);
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(pauseMs, java.util.concurrent.TimeUnit.MILLISECONDS))
                        .thenCompose(v -> attempt(draft, attempt + 1));
            });
        });
    }

    /** The current head. */
    public CompletableFuture<Head> head() {
        return kv.execute(new KvCommand.Get(HEAD)).thenApply(r -> getResult(r).kv()
                .map(kvPair -> decodeHead(kvPair.value())).orElse(new Head(0, ReceiptCodec.GENESIS)));
    }

    /** Up to {@code limit} (at most {@value #MAX_LIST}) receipts from {@code fromSeq} on, in seq order. */
    public CompletableFuture<List<Receipt>> list(long fromSeq, int limit) {
        if (fromSeq < 1 || limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("receipts: fromSeq " + fromSeq + " must be >= 1 and limit " + limit
                    + " within 1 .. " + MAX_LIST);
        }
        // Seq keys all start with a digit "0" (20 digits), so the prefix skips receipts/head.
        String after = fromSeq == 1 ? "" : key(fromSeq - 1);
        return kv.execute(new KvCommand.Range(PREFIX + "0", after, limit)).thenApply(r -> {
            if (!(r instanceof KvResult.RangeResult range)) {
                throw new IllegalStateException("range '" + PREFIX + "' answered " + r);
            }
            List<Receipt> out = new ArrayList<>();
            for (KeyValue kvPair : range.kvs()) {
                out.add(ReceiptCodec.decode(kvPair.key(), kvPair.value()));
            }
            return out;
        });
    }

    /**
     * Verifies the whole stored chain ({@link ReceiptVerifier}) and that its last receipt is the head, so a removed
     * newest receipt is caught too. Answers the first broken link, or empty. Reads {@value #MAX_LIST} at a time.
     */
    public CompletableFuture<Optional<String>> verify() {
        return head().thenCompose(head -> collect(1, new ArrayList<>()).thenApply(all -> {
            Optional<String> broken = ReceiptVerifier.verify(all);
            if (broken.isPresent()) {
                return broken;
            }
            long lastSeq = all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
            String lastHash = all.isEmpty() ? ReceiptCodec.GENESIS : all.get(all.size() - 1).hash();
            if (lastSeq < head.seq() || !lastHash.equals(head.hash()) && lastSeq == head.seq()) {
                return Optional.of("receipt " + (lastSeq + 1) + ": missing: the head names seq " + head.seq()
                        + " with hash " + head.hash() + " but the chain ends at seq " + lastSeq + " (removed)");
            }
            return Optional.empty();
        }));
    }

    private CompletableFuture<List<Receipt>> collect(long fromSeq, List<Receipt> into) {
        return list(fromSeq, MAX_LIST).thenCompose(page -> {
            into.addAll(page);
            return page.size() < MAX_LIST ? CompletableFuture.completedFuture(into)
                    : collect(page.get(page.size() - 1).seq() + 1, into);
        });
    }

    private static KvResult.GetResult getResult(KvResult r) {
        if (r instanceof KvResult.GetResult g) {
            return g;
        }
        throw new IllegalStateException("get '" + HEAD + "' answered " + r);
    }

    static byte[] encodeHead(Head head) {
        return ("{\"v\":1,\"seq\":" + head.seq() + ",\"hash\":\"" + head.hash() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Head decodeHead(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || n.path("v").asInt() != 1 || !n.path("hash").isTextual() || !n.path("seq").isNumber()) {
                throw new IllegalStateException("'" + HEAD + "' is not a version-1 chain head: "
                        + new String(json, StandardCharsets.UTF_8));
            }
            return new Head(n.get("seq").asLong(), n.get("hash").asText());
        } catch (IOException e) {
            throw new IllegalStateException("'" + HEAD + "' is not JSON: " + e.getMessage(), e);
        }
    }
}
