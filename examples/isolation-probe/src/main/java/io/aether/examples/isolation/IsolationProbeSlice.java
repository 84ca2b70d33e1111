package io.aether.examples.isolation;

import io.aether.examples.json.Json;
import io.aether.slice.api.LeanSlice;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A test slice that tries to load classes of the node with {@code Class.forName}, through its own loader and the
 * thread's context loader, and answers which it could: {@code {"io.aether.core.kv.KvStateMachine":false,...}}.
 * On a correctly isolated node every class but the JDK's and the slice API's answers false.
 */
public class IsolationProbeSlice implements LeanSlice {

    static final List<String> PROBED = List.of("io.aether.core.kv.KvStateMachine", "io.vertx.core.Vertx",
            "com.fasterxml.jackson.databind.ObjectMapper", "java.util.concurrent.CompletableFuture",
            "io.aether.slice.api.SliceContext");

    @Override
    public CompletionStage<String> call(String requestJson) {
        StringBuilder out = new StringBuilder("{");
        for (String name : PROBED) {
            boolean visible = canLoad(name, IsolationProbeSlice.class.getClassLoader())
                    || canLoad(name, Thread.currentThread().getContextClassLoader());
            out.append(out.length() > 1 ? "," : "").append(Json.quote(name)).append(':').append(visible);
        }
        return CompletableFuture.completedFuture(out.append('}').toString());
    }

    private static boolean canLoad(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
