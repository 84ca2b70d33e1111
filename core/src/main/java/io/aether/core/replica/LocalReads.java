package io.aether.core.replica;

import io.aether.core.client.KvWire;
import io.aether.core.kv.KvCodec;
import io.aether.core.kv.KvCodecException;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.core.kv.KvStateMachine;
import io.aether.core.net.Connection;

/** Serializable reads: answered from this replica's applied state without going through the log. */
final class LocalReads {

    private LocalReads() {
    }

    static void answer(KvStateMachine kv, Connection connection, KvWire.Request request) {
        KvResult result;
        try {
            KvCommand command = KvCodec.decodeCommand(request.command());
            if (command instanceof KvCommand.Get get) {
                result = new KvResult.GetResult(kv.get(get.key()), kv.revision());
            } else if (command instanceof KvCommand.Range range) {
                result = kv.range(range.prefix(), range.after(), range.limit());
            } else {
                result = null;
            }
            if (result == null) {
                ReplicaNode.reply(connection, request.requestId(), KvWire.Status.BAD_REQUEST,
                        "only get and range can be served locally, not " + command.getClass().getSimpleName());
                return;
            }
        } catch (KvCodecException | IllegalArgumentException e) {
            ReplicaNode.reply(connection, request.requestId(), KvWire.Status.BAD_REQUEST, e.getMessage());
            return;
        }
        connection.send(KvWire.RESPONSE, ReplicaNode.resultFrame(request.requestId(), KvCodec.encodeResult(result)));
    }
}
