package io.aether.node.api;

import io.aether.core.client.KvClient;
import io.aether.core.kv.Watch;
import io.aether.core.kv.WatchEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** How KV values and watches look in JSON and SSE. */
final class KvJson {

    /** Watch events buffered per SSE client before the stream fails as too slow. */
    private static final int WATCH_BUFFER = 10_000;

    record Text(String value, String encoding) {
    }

    private KvJson() {
    }

    /** UTF-8 text when the bytes are valid UTF-8, else base64. */
    static Text text(byte[] value) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
            return new Text(text, "utf-8");
        } catch (CharacterCodingException e) {
            return new Text(Base64.getEncoder().encodeToString(value), "base64");
        }
    }

    static Multi<KvResource.Change> watch(KvClient kv, String prefix, long fromRevision) {
        return Multi.createFrom().<KvResource.Change>emitter(emitter -> {
            Watch watch = kv.watch(prefix, fromRevision, new io.aether.core.kv.WatchListener() {
                @Override
                public void onRevision(long revision, List<WatchEvent> events) {
                    for (WatchEvent e : events) {
                        emitter.emit(new KvResource.Change(revision, e.type().name(), KvResource.Entry.of(e.kv())));
                    }
                }

                @Override
                public void onCancelled(RuntimeException cause) {
                    emitter.fail(cause);
                }
            });
            emitter.onTermination(watch::cancel);
        }, BackPressureStrategy.BUFFER).onOverflow().buffer(WATCH_BUFFER);
    }
}
