package io.aether.core.invoke;

import io.aether.core.endpoint.EndpointRecord;
import io.aether.core.endpoint.EndpointRegistry;
import io.aether.core.net.HostAndPort;
import io.aether.core.slice.SliceInstance;
import io.aether.slice.api.SliceException;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Calls a slice's entry point wherever an ACTIVE instance runs (docs/invocation.md). A local instance declaring
 * the entry is preferred (round-robin among them); otherwise two random remote endpoints of the
 * {@link EndpointRegistry} are drawn and the one with fewer calls in flight from this node is called
 * (power of two choices). A call that certainly did not run (not sent, or refused by the callee before starting)
 * is tried on another instance, at most twice more; a call that may have reached the callee is never re-sent.
 *
 * <p>Failures are {@link SliceException}s: 503 when no instance can take the call, 504 when the deadline passes,
 * 502 when the connection is lost after sending, the slice's own status otherwise. Futures complete on Vert.x event
 * loop threads: do not block in their callbacks. Usable as a {@code SliceCaller} through
 * {@link #call(String, String, String, Duration)}.
 */
public final class Invoker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Invoker.class.getName());
    private static final int MAX_EXTRA_ATTEMPTS = 2;
    private static final Pattern ARTIFACT = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}(:[A-Za-z0-9_.\\-]{1,128}){1,2}");

    private final Vertx vertx;
    private final CallConfig config;
    private final LocalInstances local;
    private final EndpointRegistry registry;
    private final Function<String, Optional<HostAndPort>> callAddress;
    private final Random random;
    private final Map<String, CallClient> clients = new HashMap<>();
    /** Calls in flight from this node per instance id; an entry is removed when its count returns to 0. */
    private final ConcurrentHashMap<String, Integer> inFlightByInstance = new ConcurrentHashMap<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong lateAnswers = new AtomicLong();
    private boolean closed;

    /**
     * @param callAddress a node's call address ({@code "call"} of its {@code nodes/} key), empty when unknown
     */
    public Invoker(Vertx vertx, CallConfig config, LocalInstances local, EndpointRegistry registry,
            Function<String, Optional<HostAndPort>> callAddress) {
        this(vertx, config, local, registry, callAddress, new Random());
    }

    Invoker(Vertx vertx, CallConfig config, LocalInstances local, EndpointRegistry registry,
            Function<String, Optional<HostAndPort>> callAddress, Random random) {
        this.vertx = vertx;
        this.config = config;
        this.local = local;
        this.registry = registry;
        this.callAddress = callAddress;
        this.random = random;
        registry.addListener(this::dropClientsOfNodesWithoutEndpoints);
    }

    /** {@link #call(String, String, String, Duration, String)} without trace context. */
    public CompletableFuture<String> call(String artifact, String entry, String json, Duration deadline) {
        return call(artifact, entry, json, deadline, "");
    }

    /**
     * Calls {@code entry} of {@code artifact} ({@code group:artifact} for any version, or
     * {@code group:artifact:version}) with {@code json}, within {@code deadline}.
     *
     * @param traceparent W3C trace context to carry to a remote callee; empty or null for none
     */
    public CompletableFuture<String> call(String artifact, String entry, String json, Duration deadline,
            String traceparent) {
        calls.incrementAndGet();
        if (artifact == null || !ARTIFACT.matcher(artifact).matches()) {
            errors.incrementAndGet();
            return CompletableFuture.failedFuture(new SliceException(400, "artifact '" + artifact
                    + "' is not group:artifact or group:artifact:version"));
        }
        if (deadline.isNegative() || deadline.isZero()) {
            errors.incrementAndGet();
            return CompletableFuture.failedFuture(new SliceException(504, "call of " + artifact + " entry '" + entry
                    + "' has no time left (deadline " + deadline.toMillis() + " ms)"));
        }
        if (inFlight.incrementAndGet() > config.maxInFlight()) {
            inFlight.decrementAndGet();
            errors.incrementAndGet();
            return CompletableFuture.failedFuture(new SliceException(503, "node " + config.nodeId()
                    + " already has " + config.maxInFlight() + " calls in flight (maxInFlight)"));
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        result.whenComplete((v, e) -> {
            inFlight.decrementAndGet();
            if (e != null) {
                errors.incrementAndGet();
            }
        });
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        List<SliceInstance> locals = local.of(artifact).stream()
                .filter(i -> i.entryPoints().contains(entry))
                .toList();
        if (!locals.isEmpty()) {
            callLocal(locals.get(Math.floorMod(roundRobin.getAndIncrement(), locals.size())), entry, json,
                    deadlineNanos, result);
        } else {
            Call call = new Call(artifact, entry, json, traceparent == null ? "" : traceparent, deadlineNanos, result);
            callRemote(call);
        }
        return result;
    }

    /** Closes the connection to {@code nodeId}, failing its calls; call when the node left or failed. */
    public void nodeGone(String nodeId) {
        CallClient client;
        synchronized (clients) {
            client = clients.remove(nodeId);
        }
        if (client != null) {
            client.close("node " + nodeId + " is gone");
        }
    }

    /**
     * Sends one frame of another protocol than calls ({@code type} other than 0x40/0x41, see
     * {@link CallServer#onFrame}) to {@code nodeId}'s call server over the connection calls use, opening it if
     * needed. Returns false, without sending, when the node's call address is unknown, the connection is not
     * established (yet), or its send queue is full; the caller decides whether to try again.
     *
     * @throws IllegalArgumentException for a call-protocol or reserved type, or a payload over the frame bound
     */
    public boolean send(String nodeId, byte type, byte[] payload) {
        CallClient client;
        try {
            client = clientFor(nodeId);
        } catch (NotRunException e) {
            return false;
        }
        return client.send(type, payload);
    }

    /** Calls started since start. */
    public long calls() {
        return calls.get();
    }

    /** Calls that failed (any status) since start. */
    public long errors() {
        return errors.get();
    }

    /** Calls in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Calls in flight from this node to {@code instanceId} now. */
    public int inFlight(String instanceId) {
        return inFlightByInstance.getOrDefault(instanceId, 0);
    }

    /** Calls tried on another instance because the first choice certainly did not run them. */
    public long retries() {
        return retries.get();
    }

    /** Answers that arrived after their call had timed out, and were ignored. */
    public long lateAnswers() {
        return lateAnswers.get();
    }

    /** Closes every connection to other nodes; calls in flight fail. */
    @Override
    public void close() {
        List<CallClient> all;
        synchronized (clients) {
            closed = true;
            all = new ArrayList<>(clients.values());
            clients.clear();
        }
        all.forEach(c -> c.close("the invoker of node " + config.nodeId() + " closed"));
    }

    /** Power of two choices: two distinct random candidates, the one with fewer calls in flight (ties: the first). */
    static <T> T choose(List<T> candidates, ToIntFunction<T> load, Random random) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        T a = candidates.get(i);
        T b = candidates.get(j);
        return load.applyAsInt(b) < load.applyAsInt(a) ? b : a;
    }

    /** One remote call across its attempts. */
    private record Call(String artifact, String entry, String json, String traceparent, long deadlineNanos,
            CompletableFuture<String> result, Set<String> tried, int attempt, SliceException lastRefusal) {

        Call(String artifact, String entry, String json, String traceparent, long deadlineNanos,
                CompletableFuture<String> result) {
            this(artifact, entry, json, traceparent, deadlineNanos, result, Set.of(), 0, null);
        }

        Call next(String triedInstance, SliceException refusal) {
            Set<String> t = new HashSet<>(tried);
            t.add(triedInstance);
            return new Call(artifact, entry, json, traceparent, deadlineNanos, result, Set.copyOf(t), attempt + 1,
                    refusal);
        }
    }

    private void callLocal(SliceInstance instance, String entry, String json, long deadlineNanos,
            CompletableFuture<String> result) {
        String instanceId = instance.instanceId();
        begin(instanceId);
        long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        long timerId = vertx.setTimer(remainingMs, id -> result.completeExceptionally(new SliceException(504,
                "local instance " + instanceId + " entry '" + entry + "' did not answer within the deadline")));
        long startedNanos = System.nanoTime();
        CallObserver.Probe probe = local.observer().started(instance.artifact(), entry);
        CompletableFuture<String> answer;
        try {
            answer = instance.call(entry, json);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((value, failure) -> {
            probe.completed(System.nanoTime() - startedNanos, failure != null);
            vertx.cancelTimer(timerId);
            end(instanceId);
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(Failures.toSliceException(failure, "local instance " + instanceId
                        + " entry '" + entry + "'"));
            }
        });
    }

    private void callRemote(Call call) {
        List<EndpointRecord> candidates = new ArrayList<>();
        for (EndpointRecord r : registry.endpoints(call.artifact(), call.entry())) {
            if (!r.nodeId().equals(config.nodeId()) && !call.tried().contains(r.instanceId())) {
                candidates.add(r);
            }
        }
        if (candidates.isEmpty()) {
            call.result().completeExceptionally(call.lastRefusal() != null
                    ? new SliceException(call.lastRefusal().status(), call.lastRefusal().getMessage())
                    : new SliceException(503, "no ACTIVE instance of " + call.artifact() + " entry '" + call.entry()
                            + "'"));
            return;
        }
        EndpointRecord chosen = choose(candidates, r -> inFlight(r.instanceId()), random);
        String instanceId = chosen.instanceId();
        CompletableFuture<String> attempt;
        try {
            attempt = clientFor(chosen.nodeId()).call(instanceId, call.entry(), call.json(), call.traceparent(),
                    call.deadlineNanos());
        } catch (NotRunException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        begin(instanceId);
        attempt.whenComplete((value, failure) -> {
            end(instanceId);
            if (failure == null) {
                call.result().complete(value);
                return;
            }
            Throwable cause = Failures.unwrap(failure);
            boolean timeLeft = System.nanoTime() < call.deadlineNanos();
            if (cause instanceof NotRunException notRun && call.attempt() < MAX_EXTRA_ATTEMPTS && timeLeft) {
                retries.incrementAndGet();
                LOG.log(Level.DEBUG, "invoker {0}: {1} entry {2}: instance {3} did not run the call ({4}); trying "
                        + "another", config.nodeId(), call.artifact(), call.entry(), instanceId, cause.getMessage());
                callRemote(call.next(instanceId, notRun));
            } else if (cause instanceof SliceException e) {
                call.result().completeExceptionally(new SliceException(e.status(), e.getMessage()));
            } else {
                call.result().completeExceptionally(Failures.toSliceException(cause, "call to instance "
                        + instanceId));
            }
        });
    }

    private CallClient clientFor(String nodeId) {
        synchronized (clients) {
            if (closed) {
                throw new NotRunException(503, "the invoker of node " + config.nodeId() + " is closed");
            }
            CallClient client = clients.get(nodeId);
            if (client != null) {
                return client;
            }
            HostAndPort address = callAddress.apply(nodeId).orElseThrow(() -> new NotRunException(503, "node "
                    + nodeId + " has no known call address"));
            CallClient[] created = new CallClient[1];
            created[0] = CallClient.start(vertx, config, nodeId, address, lateAnswers, () -> {
                synchronized (clients) {
                    clients.remove(nodeId, created[0]);
                }
            });
            clients.put(nodeId, created[0]);
            return created[0];
        }
    }

    private void begin(String instanceId) {
        inFlightByInstance.merge(instanceId, 1, Integer::sum);
    }

    private void end(String instanceId) {
        inFlightByInstance.computeIfPresent(instanceId, (id, n) -> n == 1 ? null : n - 1);
    }

    /** Closes connections to nodes that no longer host a live endpoint (the node left, failed or was emptied). */
    private void dropClientsOfNodesWithoutEndpoints() {
        Set<String> hosting = new HashSet<>();
        registry.all().forEach(r -> hosting.add(r.nodeId()));
        List<CallClient> gone = new ArrayList<>();
        synchronized (clients) {
            clients.values().removeIf(c -> {
                if (hosting.contains(c.nodeId())) {
                    return false;
                }
                gone.add(c);
                return true;
            });
        }
        gone.forEach(c -> c.close("node " + c.nodeId() + " hosts no endpoint any more"));
    }
}
