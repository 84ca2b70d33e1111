package io.aether.core.consensus;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Wing–Gong linearizability search with Lowe's memoization (as in Porcupine), partitioned per key.
 * Operations with unknown outcome return at +infinity and accept any result. Public (through core's test jar)
 * so the process-level crash test checks its history with the same checker as the simulation.
 */
public final class LinearizabilityChecker {
    /** A completed or unknown operation; {@code responseMicros == Long.MAX_VALUE} means unknown outcome. */
    public record Operation(int id, long invokeMicros, long responseMicros, SimKv.Op op, int result) {
        public boolean unknown() {
            return responseMicros == Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return op + (unknown() ? " -> ?" : " -> " + result) + " [" + invokeMicros + ", "
                    + (unknown() ? "inf" : String.valueOf(responseMicros)) + "]";
        }
    }

    /** Bound on explored (linearized-set, state) pairs per key; beyond it the check gives up as inconclusive. */
    static final int MAX_EXPLORED = 2_000_000;

    private LinearizabilityChecker() {
    }

    /** The verdict: {@code violation} null if linearizable; keys too large to search are counted, not judged. */
    public record Verdict(String violation, int inconclusiveKeys) {
    }

    public static Verdict check(List<Operation> history, int keys) {
        int inconclusive = 0;
        for (int k = 0; k < keys; k++) {
            List<Operation> ops = new ArrayList<>();
            for (Operation o : history) {
                if (o.op().key() == k && !(o.unknown() && o.op().type() == SimKv.GET)) {
                    ops.add(o);
                }
            }
            Boolean ok = checkKey(ops);
            if (ok == null) {
                inconclusive++;
                continue;
            }
            if (!ok) {
                StringBuilder sb = new StringBuilder("history of key k" + k + " is not linearizable:");
                ops.stream().sorted((x, y) -> Long.compare(x.invokeMicros(), y.invokeMicros()))
                        .forEach(o -> sb.append("\n    ").append(o));
                return new Verdict(sb.toString(), inconclusive);
            }
        }
        return new Verdict(null, inconclusive);
    }

    private static final class Entry {
        final Operation op;
        final int index;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Operation op, int index, boolean call, long time) {
            this.op = op;
            this.index = index;
            this.call = call;
            this.time = time;
        }
    }

    private record Memo(BitSet linearized, int state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m && m.state == state && m.linearized.equals(linearized);
        }

        @Override
        public int hashCode() {
            return Objects.hash(linearized, state);
        }
    }

    private static Boolean checkKey(List<Operation> ops) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation o = ops.get(i);
            Entry call = new Entry(o, i, true, o.invokeMicros());
            Entry ret = new Entry(o, i, false, o.responseMicros());
            call.match = ret;
            entries.add(call);
            entries.add(ret);
        }
        // Calls before returns at equal times: operations that touch are concurrent.
        entries.sort((x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Boolean.compare(!x.call, !y.call));
        Entry head = new Entry(null, -1, false, Long.MIN_VALUE);
        Entry prev = head;
        for (Entry e : entries) {
            prev.next = e;
            e.prev = prev;
            prev = e;
        }
        BitSet linearized = new BitSet(ops.size());
        Set<Memo> cache = new HashSet<>();
        List<Entry> stackEntries = new ArrayList<>();
        List<Integer> stackStates = new ArrayList<>();
        int state = 0;
        Entry entry = head.next;
        while (head.next != null) {
            if (cache.size() > MAX_EXPLORED) {
                return null;
            }
            if (entry.call) {
                Operation o = entry.op;
                int[] next = step(state, o);
                boolean advanced = false;
                if (next != null) {
                    BitSet candidate = (BitSet) linearized.clone();
                    candidate.set(entry.index);
                    if (cache.add(new Memo(candidate, next[0]))) {
                        stackEntries.add(entry);
                        stackStates.add(state);
                        state = next[0];
                        linearized.set(entry.index);
                        lift(entry);
                        entry = head.next;
                        advanced = true;
                    }
                }
                if (!advanced) {
                    entry = entry.next;
                }
            } else {
                if (stackEntries.isEmpty()) {
                    return false;
                }
                Entry top = stackEntries.remove(stackEntries.size() - 1);
                state = stackStates.remove(stackStates.size() - 1);
                linearized.clear(top.index);
                unlift(top);
                entry = top.next;
            }
        }
        return true;
    }

    /** The new state if {@code o} may take effect in {@code state}, else null. */
    private static int[] step(int state, Operation o) {
        SimKv.Op op = o.op();
        switch (op.type()) {
            case SimKv.PUT:
                return new int[] {op.a()};
            case SimKv.GET:
                return o.unknown() || o.result() == state ? new int[] {state} : null;
            default:
                boolean success = state == op.a();
                if (!o.unknown() && (o.result() == 1) != success) {
                    return null;
                }
                return new int[] {success ? op.b() : state};
        }
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }
}
