package io.aether.core.kv;

import io.aether.core.kv.KvCommand.Compare;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators for commands, results and client histories; keys come from a small space so they collide. */
final class KvArbitraries {

    private KvArbitraries() {
    }

    /** One input to {@link KvStateMachine#apply}. */
    record Input(long clientId, long seq, byte[] command) {
    }

    /** A client step: a new command, or (retryBack > 0) a resend of one of the client's earlier seqs. */
    record Step(long clientId, int retryBack, KvCommand command) {
    }

    static Arbitrary<String> keys() {
        return Arbitraries.of("a", "b", "c", "a/1", "a/2", "a/b/c", "b/1", "é/€", "\uD83D\uDE00");
    }

    static Arbitrary<String> prefixes() {
        return Arbitraries.of("", "a", "a/", "b", "a/b", "z");
    }

    static Arbitrary<byte[]> values() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
    }

    static Arbitrary<KvCommand.Put> puts() {
        return Combinators.combine(keys(), values()).as(KvCommand.Put::new);
    }

    static Arbitrary<KvCommand.Cas> cases() {
        return Combinators.combine(keys(), Arbitraries.longs().between(0, 12), values().optional())
                .as(KvCommand.Cas::new);
    }

    static Arbitrary<KvCommand.Range> ranges() {
        return Combinators.combine(prefixes(), Arbitraries.of("", "a/1", "b"), Arbitraries.integers().between(1, 4))
                .as(KvCommand.Range::new);
    }

    static Arbitrary<KvCommand.Op> ops() {
        return Arbitraries.oneOf(puts(), keys().map(KvCommand.Delete::new), keys().map(KvCommand.Get::new),
                ranges());
    }

    static Arbitrary<Compare> compares() {
        Arbitrary<Compare> numeric = Combinators.combine(keys(),
                Arbitraries.of(Compare.Target.VERSION, Compare.Target.CREATE_REVISION, Compare.Target.MOD_REVISION),
                Arbitraries.of(Compare.Operator.class), Arbitraries.longs().between(0, 12))
                .as((key, target, operator, number) -> new Compare(key, target, operator, number, new byte[0]));
        Arbitrary<Compare> value = Combinators.combine(keys(), Arbitraries.of(Compare.Operator.class), values())
                .as(Compare::value);
        return Arbitraries.oneOf(numeric, value);
    }

    static Arbitrary<KvCommand.Txn> txns() {
        return Combinators.combine(compares().list().ofMaxSize(3), ops().list().ofMaxSize(4),
                ops().list().ofMaxSize(3)).as(KvCommand.Txn::new);
    }

    /** Every kind of command, mostly valid, sometimes refused (e.g. a txn writing a key twice). */
    static Arbitrary<KvCommand> commands() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, puts()),
                Tuple.of(2, keys().map(KvCommand.Delete::new)),
                Tuple.of(1, prefixes().map(KvCommand.DeleteRange::new)),
                Tuple.of(3, cases()),
                Tuple.of(3, txns()),
                Tuple.of(2, keys().map(KvCommand.Get::new)),
                Tuple.of(2, ranges()),
                Tuple.of(1, Arbitraries.just(new KvCommand.Noop())));
    }

    static Arbitrary<List<Step>> histories(int maxSteps) {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.longs().between(1, 4),
                Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 1),
                        Tuple.of(1, 3), Tuple.of(1, 9)),
                commands()).as(Step::new);
        return step.list().ofMaxSize(maxSteps);
    }

    /** The apply inputs of a history: new commands get the next seq, retries resend an earlier seq's bytes. */
    static List<Input> inputs(List<Step> steps) {
        Map<Long, List<byte[]>> sent = new HashMap<>();
        List<Input> inputs = new ArrayList<>();
        for (Step step : steps) {
            List<byte[]> mine = sent.computeIfAbsent(step.clientId(), id -> new ArrayList<>());
            if (step.retryBack() > 0 && step.retryBack() <= mine.size()) {
                int seq = mine.size() - step.retryBack() + 1;
                inputs.add(new Input(step.clientId(), seq, mine.get(seq - 1)));
            } else {
                mine.add(KvCodec.encodeCommand(step.command()));
                inputs.add(new Input(step.clientId(), mine.size(), mine.get(mine.size() - 1)));
            }
        }
        return inputs;
    }

    static Arbitrary<KeyValue> keyValues() {
        return Combinators.combine(keys(), values(), Arbitraries.longs().between(0, 1000),
                Arbitraries.longs().between(0, 1000), Arbitraries.longs().between(0, 1000)).as(KeyValue::new);
    }

    static Arbitrary<KvResult> opResults() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.longs(), keyValues().optional()).as(KvResult.Ok::new),
                Combinators.combine(keyValues().optional(), Arbitraries.longs()).as(KvResult.GetResult::new),
                Combinators.combine(keyValues().list().ofMaxSize(3), Arbitraries.of(true, false), Arbitraries.longs())
                        .as(KvResult.RangeResult::new));
    }

    static Arbitrary<KvResult> results() {
        return Arbitraries.oneOf(opResults(),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(KvResult.CasFailed::new),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs(), opResults().list().ofMaxSize(3))
                        .as(KvResult.TxnResult::new),
                Combinators.combine(Arbitraries.longs(), Arbitraries.of(true, false), Arbitraries.longs())
                        .as(KvResult.Deleted::new),
                Combinators.combine(Arbitraries.of(KvErrorCode.class), Arbitraries.strings().ofMaxLength(20)
                        .filter(s -> Utf8.unpairedSurrogateIndex(s) < 0)).as(KvResult.Error::new));
    }
}
