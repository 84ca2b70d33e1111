package io.aether.core.consensus;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker accepts linearizable KV histories and rejects the ones a broken replica would produce. */
class LinearizabilityCheckerTest {
    private static final long UNKNOWN = Long.MAX_VALUE;

    private static LinearizabilityChecker.Operation op(int id, long invoke, long response, SimKv.Op op, int result) {
        return new LinearizabilityChecker.Operation(id, invoke, response, op, result);
    }

    private static SimKv.Op put(int v) {
        return new SimKv.Op(SimKv.PUT, 0, v, 0);
    }

    private static SimKv.Op get() {
        return new SimKv.Op(SimKv.GET, 0, 0, 0);
    }

    private static SimKv.Op cas(int expected, int next) {
        return new SimKv.Op(SimKv.CAS, 0, expected, next);
    }

    private static String violation(LinearizabilityChecker.Operation... ops) {
        return LinearizabilityChecker.check(List.of(ops), 1).violation();
    }

    @Test
    void concurrentWritesMayBeReadInEitherOrder() {
        assertNull(violation(op(0, 0, 10, put(1), 0), op(1, 0, 10, put(2), 0), op(2, 11, 12, get(), 1)));
        assertNull(violation(op(0, 0, 10, put(1), 0), op(1, 0, 10, put(2), 0), op(2, 11, 12, get(), 2)));
    }

    @Test
    void aStaleReadAfterAnAcknowledgedWriteIsRejected() {
        String v = violation(op(0, 0, 10, put(1), 0), op(1, 20, 30, put(2), 0), op(2, 40, 50, get(), 1));
        assertNotNull(v);
        assertTrue(v.contains("key k0"), v);
    }

    @Test
    void anUnknownWriteMayOrMayNotHaveTakenEffect() {
        assertNull(violation(op(0, 0, UNKNOWN, put(7), 0), op(1, 20, 30, get(), 0)));
        assertNull(violation(op(0, 0, UNKNOWN, put(7), 0), op(1, 20, 30, get(), 7)));
        assertNotNull(violation(op(0, 0, UNKNOWN, put(7), 0), op(1, 20, 30, get(), 8)));
    }

    @Test
    void twoCompareAndSetsFromTheSameValueCannotBothSucceed() {
        assertNotNull(violation(op(0, 0, 10, cas(0, 1), 1), op(1, 0, 10, cas(0, 2), 1)));
        assertNull(violation(op(0, 0, 10, cas(0, 1), 1), op(1, 0, 10, cas(0, 2), 0), op(2, 20, 30, get(), 1)));
    }
}
