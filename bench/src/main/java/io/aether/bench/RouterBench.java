package io.aether.bench;

import io.aether.bench.load.ClosedLoop;
import io.aether.bench.load.LoadResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Calls/s and latency of one trivial entry point through the Aether router (instance on the called node, and one
 * remote hop away) against a bare Quarkus REST endpoint doing the same work, with the same load generator in the
 * same run. {@code RouterBench --bare URL --local URL --remote URL [--clients 64] [--seconds 10]}; each URL is the
 * full address of the POST endpoint. Prints one line per phase and the markdown rows for docs/benchmarks.md.
 */
public final class RouterBench {

    private static final Buffer BODY = Buffer.buffer("{\"name\":\"Ada\"}");

    private RouterBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int clients = Integer.parseInt(options.getOrDefault("--clients", "64"));
        double seconds = Double.parseDouble(options.getOrDefault("--seconds", "10"));
        Vertx vertx = Vertx.vertx();
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(clients)
                .setKeepAlive(true).setPipelining(false));
        List<LoadResult> results = new ArrayList<>();
        // Alternate the targets twice so that JIT warm-up and machine noise do not favour one side.
        for (int round = 1; round <= 2; round++) {
            for (String target : List.of("--bare", "--local", "--remote")) {
                String url = options.get(target);
                if (url == null) {
                    continue;
                }
                URI uri = URI.create(url);
                warmUp(http, uri);
                LoadResult r = ClosedLoop.run(target.substring(2), "round" + round, clients, seconds,
                        n -> post(http, uri), null);
                System.out.println(r.line());
                if (round == 2) {
                    results.add(r);
                }
            }
        }
        System.out.println();
        System.out.println("| target | calls/s | p50 ms | p99 ms | calls/s vs bare | p99 vs bare |");
        System.out.println("|---|---|---|---|---|---|");
        LoadResult bare = results.stream().filter(r -> r.system().equals("bare")).findFirst().orElse(null);
        for (LoadResult r : results) {
            System.out.printf("| %s | %.0f | %.2f | %.2f | %s | %s |%n", r.system(), r.opsPerSecond(), r.p(50), r.p(99),
                    bare == null ? "-" : String.format("%.2f×", r.opsPerSecond() / bare.opsPerSecond()),
                    bare == null ? "-" : String.format("%.2f×", r.p(99) / bare.p(99)));
        }
        LoadResult local = results.stream().filter(r -> r.system().equals("local")).findFirst().orElse(null);
        LoadResult remote = results.stream().filter(r -> r.system().equals("remote")).findFirst().orElse(null);
        if (local != null && remote != null) {
            System.out.printf("remote hop adds %.2f ms at p50 and %.2f ms at p99%n", remote.p(50) - local.p(50),
                    remote.p(99) - local.p(99));
        }
        System.exit(0);
    }

    private static void warmUp(HttpClient http, URI uri) throws Exception {
        for (int i = 0; i < 2000; i++) {
            post(http, uri).get();
        }
    }

    private static CompletableFuture<Buffer> post(HttpClient http, URI uri) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getPath()).putHeader("Content-Type", "application/json");
        return http.request(request)
                .compose(req -> req.send(BODY))
                .compose(resp -> resp.statusCode() == 200 ? resp.body()
                        : resp.body().compose(b -> io.vertx.core.Future.failedFuture(
                                "HTTP " + resp.statusCode() + ": " + b)))
                .toCompletionStage().toCompletableFuture();
    }
}
