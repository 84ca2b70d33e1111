package io.aether.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three loaded replicas on a fair network: each turn every replica takes the messages sent to it in the previous
 * turn and new client commands. A replica's own batches reach its peers one turn after it holds them, which is
 * what made loaded replicas pair batches with slots differently and decide most slots as no-ops.
 */
class SlotOwnersTest {

    private static final int N = 3;
    private static final int TURNS = 400;
    private static final int COMMANDS_PER_TURN = 20;

    @Test
    void loadedReplicasCommitABatchInMostSlots() {
        EngineConfig[] configs = new EngineConfig[N];
        RabiaEngine[] engines = new RabiaEngine[N];
        for (int i = 0; i < N; i++) {
            configs[i] = EngineConfig.defaults(i, N, 99);
            engines[i] = new RabiaEngine(configs[i]);
        }
        List<List<Input.Receive>> inbox = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            inbox.add(new ArrayList<>());
        }
        long seq = 0;
        int slots = 0;
        int noops = 0;
        long committed = 0;
        long submitted = 0;
        for (int turn = 0; turn < TURNS + 200; turn++) {
            long now = turn * 1_000L;
            List<List<Input.Receive>> next = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                next.add(new ArrayList<>());
            }
            for (int i = 0; i < N; i++) {
                List<Output> outputs = new ArrayList<>();
                outputs.add(engines[i].step(new Input.Tick(now)));
                for (Input.Receive r : inbox.get(i)) {
                    outputs.add(engines[i].step(r));
                }
                if (turn < TURNS) {
                    for (int c = 0; c < COMMANDS_PER_TURN; c++) {
                        outputs.add(engines[i].step(new Input.Submit(new Command(i + 1, ++seq, new byte[64]))));
                        submitted++;
                    }
                }
                for (Output out : outputs) {
                    for (Outbound o : out.send()) {
                        next.get(o.to()).add(new Input.Receive(i, o.message()));
                    }
                    if (i == 0) {
                        for (DecidedSlot d : out.decided()) {
                            slots++;
                            if (d.batchOrNullForNoop() == null) {
                                noops++;
                            } else {
                                committed += d.batchOrNullForNoop().commands().size();
                            }
                        }
                    }
                }
            }
            inbox = next;
        }
        assertEquals(submitted, committed, "every command is committed once the load stops");
        assertTrue(noops * 4 < slots, noops + " of " + slots + " slots decided no-op; loaded replicas should agree"
                + " on the batch of most slots");
    }
}
