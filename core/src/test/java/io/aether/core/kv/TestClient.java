package io.aether.core.kv;

import java.nio.charset.StandardCharsets;

/** A client of one state machine for tests: encodes commands and numbers them 1, 2, 3, ... */
final class TestClient {

    final KvStateMachine kv;
    final long clientId;
    long seq;

    TestClient(KvStateMachine kv, long clientId) {
        this.kv = kv;
        this.clientId = clientId;
    }

    KvResult apply(KvCommand command) {
        return kv.apply(clientId, ++seq, KvCodec.encodeCommand(command));
    }

    KvResult put(String key, String value) {
        return apply(new KvCommand.Put(key, bytes(value)));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(KeyValue kv) {
        return new String(kv.value(), StandardCharsets.UTF_8);
    }
}
