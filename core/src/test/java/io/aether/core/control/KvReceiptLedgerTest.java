package io.aether.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aether.core.client.KvClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real single-replica KV. */
class KvReceiptLedgerTest {

    @TempDir
    Path dir;
    private RealKv kv;

    @BeforeEach
    void start() throws Exception {
        kv = new RealKv(dir);
    }

    @AfterEach
    void stop() {
        kv.close();
    }

    private static ReceiptDraft draft(String actor, int i) {
        return new ReceiptDraft(actor, Layer.L1, "digest" + i, "{\"i\":" + i + "}", "reason " + i, "observed");
    }

    @Test
    void concurrentAppendsFromTwoNodesMakeOneUnbrokenChain() throws Exception {
        KvClient a = kv.client("a");
        KvClient b = kv.client("b");
        KvReceiptLedger ledgerA = new KvReceiptLedger(a, Clock.systemUTC());
        KvReceiptLedger ledgerB = new KvReceiptLedger(b, Clock.systemUTC());
        int perNode = 40;
        List<CompletableFuture<Receipt>> appends = new ArrayList<>();
        // Four appenders in flight at once per node, so the head txns really race.
        for (int lane = 0; lane < 4; lane++) {
            int l = lane;
            appends.add(chainOf(ledgerA, "node:a" + l, perNode / 4));
            appends.add(chainOf(ledgerB, "node:b" + l, perNode / 4));
        }
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        List<Receipt> all = ledgerA.list(1, 1000).get(10, TimeUnit.SECONDS);
        assertEquals(2 * perNode, all.size());
        assertEquals(Optional.empty(), ReceiptVerifier.verify(all));
        KvReceiptLedger.Head head = ledgerB.head().get(10, TimeUnit.SECONDS);
        assertEquals(2 * perNode, head.seq());
        assertEquals(all.get(all.size() - 1).hash(), head.hash());
        assertEquals(all.subList(10, 20), ledgerB.list(11, 10).get(10, TimeUnit.SECONDS), "list pages from a seq");
    }

    private static CompletableFuture<Receipt> chainOf(KvReceiptLedger ledger, String actor, int count) {
        CompletableFuture<Receipt> f = ledger.append(draft(actor, 0));
        for (int i = 1; i < count; i++) {
            int n = i;
            f = f.thenCompose(r -> ledger.append(draft(actor, n)));
        }
        return f;
    }

    @Test
    void aReceiptEditedInTheKvIsNamedByTheVerifier() throws Exception {
        KvClient a = kv.client("a");
        KvReceiptLedger ledger = new KvReceiptLedger(a, Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            ledger.append(draft("node:a", i)).get(10, TimeUnit.SECONDS);
        }
        Receipt third = ledger.list(3, 1).get(10, TimeUnit.SECONDS).get(0);
        Receipt edited = new Receipt(third.seq(), third.time(), third.actor(), third.layer(), third.inputsDigest(),
                third.decision(), third.reasoning(), "applied", third.prevHash(), third.hash());
        a.put(KvReceiptLedger.key(3), ReceiptCodec.encode(edited)).get(10, TimeUnit.SECONDS);
        Optional<String> broken = ReceiptVerifier.verify(ledger.list(1, 1000).get(10, TimeUnit.SECONDS));
        assertEquals("receipt 3: hash mismatch", broken.orElseThrow().substring(0, "receipt 3: hash mismatch".length()));
    }

    @Test
    void removingTheNewestReceiptIsCaughtAgainstTheHead() throws Exception {
        KvClient a = kv.client("a");
        KvReceiptLedger ledger = new KvReceiptLedger(a, Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            ledger.append(draft("node:a", i)).get(10, TimeUnit.SECONDS);
        }
        assertEquals(Optional.empty(), ledger.verify().get(10, TimeUnit.SECONDS));
        a.delete(KvReceiptLedger.key(3)).get(10, TimeUnit.SECONDS);
        String broken = ledger.verify().get(10, TimeUnit.SECONDS).orElseThrow();
        assertEquals("receipt 3: missing", broken.substring(0, "receipt 3: missing".length()), broken);
    }
}
