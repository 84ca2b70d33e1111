package io.aether.core.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KvCodecTest {

    @Property
    void everyCommandSurvivesARoundTrip(@ForAll("commands") KvCommand command) {
        assertEquals(command, KvCodec.decodeCommand(KvCodec.encodeCommand(command)));
    }

    @Property
    void everyResultSurvivesARoundTrip(@ForAll("results") KvResult result) {
        assertEquals(result, KvCodec.decodeResult(KvCodec.encodeResult(result)));
    }

    @Property
    void randomBytesDecodeOrFailOnlyWithACodecException(@ForAll("garbage") byte[] garbage) {
        decodeEverything(garbage);
    }

    @Property
    void corruptedEncodingsDecodeOrFailOnlyWithACodecException(@ForAll("commands") KvCommand command,
                                                              @ForAll("results") KvResult result,
                                                              @ForAll int position, @ForAll byte replacement,
                                                              @ForAll boolean truncate) {
        for (byte[] encoded : List.of(KvCodec.encodeCommand(command), KvCodec.encodeResult(result))) {
            int at = Math.floorMod(position, encoded.length);
            byte[] damaged = truncate ? Arrays.copyOf(encoded, at) : encoded.clone();
            if (!truncate) {
                damaged[at] = replacement;
            }
            decodeEverything(damaged);
        }
    }

    private static void decodeEverything(byte[] bytes) {
        try {
            KvCodec.decodeCommand(bytes);
        } catch (KvCodecException expected) {
            assertTrue(expected.getMessage().startsWith("command ("), expected.getMessage());
        }
        try {
            KvCodec.decodeResult(bytes);
        } catch (KvCodecException expected) {
            assertTrue(expected.getMessage().startsWith("result ("), expected.getMessage());
        }
        try {
            KvStateMachine.restore(bytes, KvLimits.DEFAULTS);
        } catch (KvCodecException expected) {
            assertTrue(expected.getMessage().startsWith("snapshot ("), expected.getMessage());
        }
    }

    @Test
    void aHugeLengthPrefixFailsWithoutAllocating() {
        byte[] bytes = {1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'};
        KvCodecException e = assertThrows(KvCodecException.class, () -> KvCodec.decodeCommand(bytes));
        assertEquals("command (6 bytes) at offset 1: key length 2147483647 does not fit the 1 bytes left",
                e.getMessage());
    }

    @Test
    void aHugeCountFailsWithoutAllocating() {
        byte[] bytes = {5, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        KvCodecException e = assertThrows(KvCodecException.class, () -> KvCodec.decodeCommand(bytes));
        assertEquals("command (5 bytes) at offset 1: compare count 2147483647 does not fit the 0 bytes left",
                e.getMessage());
    }

    @Test
    void truncatedInputNamesWhatIsMissing() {
        byte[] encoded = KvCodec.encodeCommand(new KvCommand.Cas("k", 5, Optional.empty()));
        byte[] truncated = Arrays.copyOf(encoded, encoded.length - 3);
        KvCodecException e = assertThrows(KvCodecException.class, () -> KvCodec.decodeCommand(truncated));
        assertEquals("command (12 bytes) at offset 6: truncated: expected mod revision needs 8 bytes but 6 are left",
                e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] encoded = KvCodec.encodeCommand(new KvCommand.Noop());
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 2);
        assertEquals("command (3 bytes) at offset 1: 2 trailing bytes after a complete command",
                assertThrows(KvCodecException.class, () -> KvCodec.decodeCommand(longer)).getMessage());
    }

    @Test
    void aTxnCannotContainADeleteRangeOrANestedTxn() {
        byte[] txn = {5, 0, 0, 0, 0, 0, 0, 0, 1, 8, 0, 0, 0, 0}; // one success op: Noop
        assertEquals("command (14 bytes) at offset 9: success op 0 is a Noop, which a txn cannot contain "
                + "(only Put, Delete, Get, Range)",
                assertThrows(KvCodecException.class, () -> KvCodec.decodeCommand(txn)).getMessage());
    }

    @Test
    void aStringWithoutUtf8FormCannotBeEncoded() {
        KvCodecException e = assertThrows(KvCodecException.class,
                () -> KvCodec.encodeCommand(new KvCommand.Get("a\uD800")));
        assertEquals("key 'a\uD800' has an unpaired surrogate at char 1 and cannot be encoded as UTF-8; fix the string",
                e.getMessage());
    }

    @Provide
    Arbitrary<KvCommand> commands() {
        return KvArbitraries.commands();
    }

    @Provide
    Arbitrary<KvResult> results() {
        return KvArbitraries.results();
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }
}
