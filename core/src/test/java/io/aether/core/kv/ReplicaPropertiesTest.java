package io.aether.core.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aether.core.kv.KvArbitraries.Input;
import io.aether.core.kv.KvArbitraries.Step;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/** Replicas that apply the same decided inputs agree, however they got there. */
class ReplicaPropertiesTest {

    /** Small dedupe bounds so histories exercise eviction and dropped results too. */
    private static final KvLimits LIMITS = KvLimits.DEFAULTS.withDedupe(3, 4, 200).withHistory(8, 1 << 20);

    private static List<KvResult> applyAll(KvStateMachine kv, List<Input> inputs) {
        List<KvResult> results = new ArrayList<>();
        for (Input input : inputs) {
            results.add(kv.apply(input.clientId(), input.seq(), input.command()));
        }
        return results;
    }

    @Property(tries = 300)
    void twoReplicasApplyingTheSameInputsEndWithEqualSnapshotsAndResults(@ForAll("histories") List<Step> history) {
        List<Input> inputs = KvArbitraries.inputs(history);
        KvStateMachine one = new KvStateMachine(LIMITS);
        KvStateMachine two = new KvStateMachine(LIMITS);
        List<KvResult> results = applyAll(one, inputs);
        assertEquals(results, applyAll(two, inputs));
        assertArrayEquals(one.snapshot(), two.snapshot());
        for (KvResult result : results) {
            Statistics.label("result").collect(result instanceof KvResult.Error error
                    ? error.code().name() : result.getClass().getSimpleName());
        }
    }

    @Property(tries = 300)
    void snapshotAtAnyPointThenReplayOfTheRestEqualsReplayOfAll(@ForAll("histories") List<Step> history,
                                                                @ForAll @IntRange(max = 60) int cut) {
        List<Input> inputs = KvArbitraries.inputs(history);
        int at = Math.min(cut, inputs.size());
        KvStateMachine whole = new KvStateMachine(LIMITS);
        List<KvResult> wholeResults = applyAll(whole, inputs);

        KvStateMachine before = new KvStateMachine(LIMITS);
        applyAll(before, inputs.subList(0, at));
        KvStateMachine restored = KvStateMachine.restore(before.snapshot(), LIMITS);
        List<KvResult> restResults = applyAll(restored, inputs.subList(at, inputs.size()));

        assertEquals(wholeResults.subList(at, inputs.size()), restResults);
        assertArrayEquals(whole.snapshot(), restored.snapshot());
    }

    @Property(tries = 200)
    void aWatchFromRevisionOneSeesExactlyTheChangesThatHappened(@ForAll("histories") List<Step> history) {
        KvStateMachine kv = new KvStateMachine();
        RecordingListener live = new RecordingListener();
        kv.watch("", 1, live);
        List<Long> changed = new ArrayList<>();
        for (Input input : KvArbitraries.inputs(history)) {
            long before = kv.revision();
            kv.apply(input.clientId(), input.seq(), input.command());
            if (kv.revision() != before) {
                assertEquals(before + 1, kv.revision(), "a command moves the revision by at most one");
                changed.add(kv.revision());
            }
        }
        assertEquals(changed, live.revisions());
        RecordingListener replayed = new RecordingListener();
        kv.watch("", 1, replayed);
        assertEquals(live.deliveries, replayed.deliveries);
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return KvArbitraries.histories(60);
    }
}
