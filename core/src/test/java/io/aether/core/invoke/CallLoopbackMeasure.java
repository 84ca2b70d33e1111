package io.aether.core.invoke;

import io.aether.core.endpoint.EndpointCodec;
import io.aether.core.endpoint.EndpointKeys;
import io.aether.core.endpoint.EndpointRecord;
import io.aether.core.endpoint.EndpointRegistry;
import io.aether.core.endpoint.SingleNodeKv;
import io.aether.core.net.HostAndPort;
import io.aether.core.slice.Artifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: prints how long sequential remote calls over loopback take (one caller, one call server, echo
 * instance). Run with the test class path: {@code java -cp ... io.aether.core.invoke.CallLoopbackMeasure [calls]}.
 */
public final class CallLoopbackMeasure {

    private CallLoopbackMeasure() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("call-measure");
        try (SingleNodeKv kv = new SingleNodeKv(dir)) {
            LocalInstances local = new LocalInstances();
            local.add(FakeInstance.echo("m:echo:1", "b.0", "go"));
            try (CallServer server = CallServer.start(kv.vertx, CallConfig.defaults("b", 1, "127.0.0.1", 0), local)
                    .get(10, TimeUnit.SECONDS);
                    EndpointRegistry registry = EndpointRegistry.start(kv.client, id -> true).get(10, TimeUnit.SECONDS)) {
                Artifact artifact = Artifact.parse("m:echo:1");
                kv.put(EndpointKeys.key(artifact, "go", "b.0"), new String(EndpointCodec.encode(
                        new EndpointRecord(artifact, "go", "b", "b.0", "ACTIVE")), StandardCharsets.UTF_8));
                SingleNodeKv.eventually("endpoint indexed", () -> !registry.endpoints("m:echo", "go").isEmpty());
                HostAndPort address = new HostAndPort("127.0.0.1", server.localPort());
                try (Invoker invoker = new Invoker(kv.vertx, CallConfig.defaults("a", 1, "127.0.0.1", 0), new LocalInstances(),
                        registry, id -> Optional.of(address))) {
                    String body = "{\"name\":\"Ada Lovelace\",\"items\":[1,2,3]}";
                    run(invoker, body, 2_000);
                    long[] micros = run(invoker, body, calls);
                    long total = Arrays.stream(micros).sum();
                    Arrays.sort(micros);
                    System.out.printf("%d sequential remote calls over loopback: %d ms total, mean %d us, "
                            + "p50 %d us, p99 %d us, max %d us%n", calls, total / 1000, total / calls,
                            micros[calls / 2], micros[(int) (calls * 0.99)], micros[calls - 1]);
                }
            }
        }
    }

    private static long[] run(Invoker invoker, String body, int calls) throws Exception {
        long[] micros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            invoker.call("m:echo", "go", body, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        }
        return micros;
    }
}
