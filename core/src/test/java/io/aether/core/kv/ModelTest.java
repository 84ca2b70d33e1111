package io.aether.core.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The state machine behaves like an obviously correct HashMap model for put, delete, cas, get and range. */
class ModelTest {

    /** The reference: a plain map and a counter, with the semantics spelled out directly. */
    static final class Model {
        final Map<String, KeyValue> keys = new HashMap<>();
        long revision;

        KvResult apply(KvCommand command) {
            if (command instanceof KvCommand.Put put) {
                return new KvResult.Ok(++revision, write(put.key(), put.value()));
            } else if (command instanceof KvCommand.Delete delete) {
                KeyValue prev = keys.remove(delete.key());
                return new KvResult.Ok(prev == null ? revision : ++revision, Optional.ofNullable(prev));
            } else if (command instanceof KvCommand.Cas cas) {
                KeyValue current = keys.get(cas.key());
                long mod = current == null ? 0 : current.modRevision();
                if (mod != cas.expectedModRevision()) {
                    return new KvResult.CasFailed(mod, revision);
                }
                if (cas.value().isPresent()) {
                    return new KvResult.Ok(++revision, write(cas.key(), cas.value().get()));
                }
                keys.remove(cas.key());
                return new KvResult.Ok(current == null ? revision : ++revision, Optional.ofNullable(current));
            } else if (command instanceof KvCommand.Get get) {
                return new KvResult.GetResult(Optional.ofNullable(keys.get(get.key())), revision);
            } else if (command instanceof KvCommand.Range range) {
                List<KeyValue> matching = keys.values().stream()
                        .filter(kv -> kv.key().startsWith(range.prefix()))
                        .filter(kv -> kv.key().compareTo(range.after()) > 0)
                        .sorted((x, y) -> x.key().compareTo(y.key()))
                        .toList();
                List<KeyValue> page = matching.subList(0, Math.min(range.limit(), matching.size()));
                return new KvResult.RangeResult(page, matching.size() > range.limit(), revision);
            }
            throw new IllegalArgumentException("not modelled: " + command);
        }

        private Optional<KeyValue> write(String key, byte[] value) {
            KeyValue prev = keys.get(key);
            keys.put(key, prev == null ? new KeyValue(key, value, revision, revision, 1)
                    : new KeyValue(key, value, prev.createRevision(), revision, prev.version() + 1));
            return Optional.ofNullable(prev);
        }
    }

    @Property(tries = 500)
    void matchesTheReferenceModel(@ForAll("commands") List<KvCommand> commands) {
        KvStateMachine kv = new KvStateMachine();
        TestClient client = new TestClient(kv, 1);
        Model model = new Model();
        List<KvResult> actual = new ArrayList<>();
        List<KvResult> expected = new ArrayList<>();
        for (KvCommand command : commands) {
            actual.add(client.apply(command));
            expected.add(model.apply(command));
        }
        assertEquals(expected, actual);
        assertEquals(model.revision, kv.revision());
        for (String key : model.keys.keySet()) {
            assertEquals(Optional.of(model.keys.get(key)), kv.get(key));
        }
        assertEquals(model.keys.size(), kv.range("", 10_000).kvs().size());
    }

    @Provide
    Arbitrary<List<KvCommand>> commands() {
        Arbitrary<KvCommand> command = Arbitraries.oneOf(KvArbitraries.puts(), KvArbitraries.puts(),
                KvArbitraries.keys().map(KvCommand.Delete::new), KvArbitraries.cases(),
                KvArbitraries.keys().map(KvCommand.Get::new), KvArbitraries.ranges());
        return command.list().ofMaxSize(80);
    }
}
