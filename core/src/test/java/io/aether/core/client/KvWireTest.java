package io.aether.core.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.kv.KeyValue;
import io.aether.core.kv.WatchEvent;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class KvWireTest {

    @Test
    void requestRoundTrips() {
        KvWire.Request r = new KvWire.Request(7, KvWire.Mode.LOG, 42, 3, new byte[] {1, 2, 3});
        KvWire.Request back = KvWire.decodeRequest(KvWire.encode(r));
        assertEquals(7, back.requestId());
        assertEquals(KvWire.Mode.LOG, back.mode());
        assertEquals(42, back.clientId());
        assertEquals(3, back.seq());
        assertArrayEquals(new byte[] {1, 2, 3}, back.command());
    }

    @Test
    void watchEventsRoundTrip() {
        KeyValue kv = new KeyValue("a/b", new byte[] {9}, 3, 5, 2);
        KeyValue prev = new KeyValue("a/b", new byte[] {8}, 3, 4, 1);
        KvWire.WatchEvents w = new KvWire.WatchEvents(11, 5, List.of(
                new WatchEvent(WatchEvent.Type.PUT, kv, Optional.of(prev)),
                new WatchEvent(WatchEvent.Type.DELETE, kv, Optional.empty())));
        KvWire.WatchEvents back = KvWire.decodeWatchEvents(KvWire.encode(w));
        assertEquals(w, back);
    }

    @Test
    void truncatedResponseNamesTheOffset() {
        WireException e = assertThrows(WireException.class, () -> KvWire.decodeResponse(new byte[] {0, 0, 0}));
        assertEquals("response: truncated at offset 0 of 3 bytes", e.getMessage());
    }

    @Test
    void unknownModeIsRefused() {
        byte[] bytes = KvWire.encode(new KvWire.Request(1, KvWire.Mode.LOG, 1, 1, new byte[0]));
        bytes[8] = 9;
        WireException e = assertThrows(WireException.class, () -> KvWire.decodeRequest(bytes));
        assertEquals("request: unknown mode 9 at offset 8", e.getMessage());
    }

    @Property(tries = 2000)
    void garbageNeverThrowsAnythingButWireException(@ForAll byte[] garbage) {
        for (Runnable decode : List.<Runnable>of(() -> KvWire.decodeRequest(garbage),
                () -> KvWire.decodeResponse(garbage), () -> KvWire.decodeWatchEvents(garbage),
                () -> KvWire.decodeWatchEnded(garbage), () -> KvWire.decodeWatchStart(garbage))) {
            try {
                decode.run();
            } catch (WireException expected) {
                assertTrue(expected.getMessage().length() > 0);
            }
        }
    }
}
