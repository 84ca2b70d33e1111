package io.aether.node.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aether.core.control.NodeProvisioner;
import io.aether.node.provision.ProvisionerException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Starts worker nodes as child processes of this node (DESIGN §8; docs/operations.md "Provisioning workers"): the
 * same {@code java} and runner jar, a free HTTP port, a fresh data directory, node id {@code {self}-worker-{n}}.
 * {@link #addWorker} completes once the worker's {@code /q/health/started} answers; {@link #removeWorker} drains the
 * worker through its own API, waits until it runs no instance, then stops it (SIGTERM, SIGKILL after the stop
 * timeout). At most {@code maxWorkers} run at once; {@link #close} stops them all. Blocking work runs on two
 * provisioner threads with a bounded queue, never on the caller's thread.
 */
public final class LocalProcessProvisioner implements NodeProvisioner, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalProcessProvisioner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a killed worker that failed to start may take to exit before the add fails anyway. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
    /** Operations waiting for a provisioner thread beyond the two running. */
    private static final int QUEUE = 16;

    /** A worker's lifecycle as this provisioner sees it. */
    public enum State { STARTING, RUNNING, REMOVING }

    /** One worker for the API: its node id, state, process id (0 before start) and HTTP port. */
    public record WorkerView(String id, State state, long pid, int httpPort, Path dataDir) {
    }

    private static final class Worker {
        final String id;
        final Path dir;
        volatile State state = State.STARTING;
        volatile int httpPort;
        volatile Process process;

        Worker(String id, Path dir) {
            this.id = id;
            this.dir = dir;
        }
    }

    private final WorkerLaunch launch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private final ThreadPoolExecutor executor;
    /** Guarded by {@code this}. */
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private int started;
    private boolean closed;

    public LocalProcessProvisioner(WorkerLaunch launch) {
        this.launch = launch;
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "aether-provisioner-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<String> addWorker(String reason) {
        Worker w;
        synchronized (this) {
            if (closed) {
                return failed(new ProvisionerException(Kind.BUSY, "the local provisioner is closing; no worker added"));
            }
            if (workers.size() >= launch.maxWorkers()) {
                return failed(new ProvisionerException(Kind.LIMIT_REACHED, "cannot add a worker: " + workers.size()
                        + " of at most " + launch.maxWorkers() + " run already " + workers.keySet()
                        + " (aether.provisioner.local.max-workers)"));
            }
            String id = launch.idPrefix() + (++started);
            w = new Worker(id, launch.dataRoot().resolve(id));
            workers.put(id, w);
        }
        return submit("add " + w.id, () -> {
            try {
                start(w, reason);
                return w.id;
            } catch (RuntimeException e) {
                forget(w);
                destroy(w);
                throw e;
            }
        }, () -> forget(w));
    }

    @Override
    public CompletableFuture<Void> removeWorker(String nodeId, String reason) {
        Worker w;
        synchronized (this) {
            w = workers.get(nodeId);
            if (w == null) {
                return failed(new ProvisionerException(Kind.UNKNOWN_WORKER, "'" + nodeId
                        + "' is not a worker this node started; its workers are " + workers.keySet()));
            }
            if (w.state != State.RUNNING) {
                return failed(new ProvisionerException(Kind.BUSY, "worker '" + nodeId + "' is "
                        + w.state.name().toLowerCase() + "; it cannot be removed now"));
            }
            w.state = State.REMOVING;
        }
        return submit("remove " + nodeId, () -> {
            try {
                remove(w, reason);
                return (Void) null;
            } catch (RuntimeException e) {
                backToRunning(w);
                throw e;
            }
        }, () -> backToRunning(w));
    }

    @Override
    public synchronized List<String> workers() {
        return workers.values().stream().filter(w -> w.state != State.STARTING).map(w -> w.id).toList();
    }

    /** Every worker, starting ones included, in the order they were added. */
    public synchronized List<WorkerView> describe() {
        List<WorkerView> views = new ArrayList<>();
        for (Worker w : workers.values()) {
            Process p = w.process;
            views.add(new WorkerView(w.id, w.state, p == null ? 0 : p.pid(), w.httpPort, w.dir));
        }
        return views;
    }

    /** The most workers this provisioner runs at once. */
    public int maxWorkers() {
        return launch.maxWorkers();
    }

    /** Stops every worker (SIGTERM, then SIGKILL after the stop timeout); refuses new work. Idempotent. */
    @Override
    public void close() {
        List<Worker> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(workers.values());
            workers.clear();
        }
        executor.shutdownNow();
        for (Worker w : all) {
            Process p = w.process;
            if (p != null && p.isAlive()) {
                LOG.infof("node shutting down: stopping worker '%s' (pid %d)", w.id, p.pid());
                p.destroy();
            }
        }
        long deadline = System.nanoTime() + launch.stopTimeout().toNanos();
        for (Worker w : all) {
            Process p = w.process;
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warnf("worker '%s' (pid %d) did not stop within %s of SIGTERM; killing it", w.id, p.pid(),
                            launch.stopTimeout());
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private void start(Worker w, String reason) {
        int port = freePort();
        w.httpPort = port;
        try {
            if (Files.exists(w.dir)) {
                deleteTree(w.dir); // a leftover of an earlier run of this node: a worker starts empty
            }
            Files.createDirectories(w.dir);
        } catch (IOException | UncheckedIOException e) {
            throw new ProvisionerException(Kind.FAILED, "worker '" + w.id + "': cannot prepare data directory "
                    + w.dir + ": " + e.getMessage(), e);
        }
        List<String> command = command(w, port);
        Path log = w.dir.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(launch.environment());
        synchronized (this) {
            // Under the lock close() takes: a process started after close() looked would outlive this node.
            if (closed) {
                throw new ProvisionerException(Kind.BUSY, "the local provisioner closed before worker '" + w.id
                        + "' started");
            }
            try {
                w.process = builder.start();
            } catch (IOException e) {
                throw new ProvisionerException(Kind.FAILED, "worker '" + w.id + "': cannot start " + command.get(0)
                        + ": " + e.getMessage(), e);
            }
        }
        LOG.infof("starting worker '%s' (pid %d, http port %d, data %s, log %s) because: %s", w.id,
                w.process.pid(), port, w.dir, log, reason);
        w.process.onExit().thenAccept(p -> exited(w, p));
        String started = "http://127.0.0.1:" + port + "/q/health/started";
        long deadline = System.nanoTime() + launch.startTimeout().toNanos();
        while (true) {
            if (!w.process.isAlive()) {
                throw new ProvisionerException(Kind.FAILED, "worker '" + w.id + "' exited with code "
                        + w.process.exitValue() + " before it started; see " + log);
            }
            if (status(get(started)) == 200) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new ProvisionerException(Kind.FAILED, "worker '" + w.id + "' did not answer " + started
                        + " within " + launch.startTimeout() + " (aether.provisioner.local.start-timeout); see "
                        + log);
            }
            pause();
        }
        synchronized (this) {
            if (closed) {
                throw new ProvisionerException(Kind.BUSY, "the local provisioner closed while worker '" + w.id
                        + "' started");
            }
            w.state = State.RUNNING;
        }
        LOG.infof("worker '%s' started (pid %d, http port %d)", w.id, w.process.pid(), port);
    }

    private void remove(Worker w, String reason) {
        String base = "http://127.0.0.1:" + w.httpPort;
        LOG.infof("removing worker '%s' (pid %d) because: %s; draining it", w.id, w.process.pid(), reason);
        HttpResponse<String> drained = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/drain"))
                .timeout(HTTP_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"drain\":true}")).build());
        if (drained == null || drained.statusCode() != 200) {
            throw new ProvisionerException(Kind.FAILED, "worker '" + w.id + "' did not accept the drain ("
                    + (drained == null ? "no answer" : drained.statusCode() + " " + drained.body())
                    + "); it keeps running");
        }
        long deadline = System.nanoTime() + launch.drainTimeout().toNanos();
        int instances = localInstances(get(base + "/api/v1/status"));
        while (instances != 0 && w.process.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new ProvisionerException(Kind.FAILED, "worker '" + w.id + "' still runs "
                        + (instances < 0 ? "an unknown number of" : Integer.toString(instances))
                        + " instances after draining for " + launch.drainTimeout()
                        + " (aether.provisioner.local.drain-timeout); it stays drained and running");
            }
            pause();
            instances = localInstances(get(base + "/api/v1/status"));
        }
        if (w.process.isAlive()) {
            LOG.infof("worker '%s' runs no instance any more; stopping it (SIGTERM)", w.id);
            stop(w);
        } else {
            LOG.warnf("worker '%s' exited on its own (code %d) while it drained", w.id, w.process.exitValue());
        }
        forget(w);
        try {
            deleteTree(w.dir);
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("worker '%s' stopped, but its data directory %s could not be deleted: %s", w.id, w.dir,
                    e.getMessage());
        }
        LOG.infof("worker '%s' removed", w.id);
    }

    private void stop(Worker w) {
        Process p = w.process;
        p.destroy();
        try {
            p.onExit().get(launch.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            LOG.warnf("worker '%s' (pid %d) did not stop within %s of SIGTERM; killing it", w.id, p.pid(),
                    launch.stopTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionerException(Kind.FAILED, "interrupted while worker '" + w.id + "' stopped", e);
        } catch (ExecutionException e) {
            throw new ProvisionerException(Kind.FAILED, "waiting for worker '" + w.id + "' to stop failed", e);
        }
        p.destroyForcibly();
        try {
            p.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new ProvisionerException(Kind.FAILED, "worker '" + w.id + "' (pid " + p.pid()
                    + ") survived SIGKILL for " + KILL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionerException(Kind.FAILED, "interrupted while worker '" + w.id + "' was killed", e);
        }
    }

    private List<String> command(Worker w, int port) {
        List<String> base = launch.command();
        List<String> command = new ArrayList<>(base.subList(0, base.size() - 2));
        Map<String, String> props = new LinkedHashMap<>(launch.properties());
        props.put("aether.node.id", w.id);
        props.put("aether.node.role", "worker");
        props.put("aether.data-dir", w.dir.toString());
        props.put("quarkus.http.port", Integer.toString(port));
        props.put("aether.provisioner", "none");
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(base.subList(base.size() - 2, base.size()));
        return command;
    }

    private void exited(Worker w, Process p) {
        boolean unexpected;
        synchronized (this) {
            unexpected = !closed && w.state != State.REMOVING && workers.get(w.id) == w;
            if (unexpected && w.state == State.RUNNING) {
                workers.remove(w.id);
            }
        }
        if (unexpected) {
            LOG.warnf("worker '%s' (pid %d) exited on its own with code %d; see %s", w.id, p.pid(), p.exitValue(),
                    w.dir.resolve("node.log"));
        }
    }

    /**
     * A removal that failed leaves the worker running (drained, perhaps), so it can be removed again; a worker that
     * died meanwhile is forgotten, since its exit was not counted as unexpected while it was being removed.
     */
    private synchronized void backToRunning(Worker w) {
        if (workers.get(w.id) != w) {
            return;
        }
        if (w.process.isAlive()) {
            w.state = State.RUNNING;
        } else {
            workers.remove(w.id);
        }
    }

    private synchronized void forget(Worker w) {
        workers.remove(w.id, w);
    }

    /**
     * Kills a worker that failed to start and waits (bounded) until it is gone, so the add fails only once nothing
     * of the worker runs any more.
     */
    private static void destroy(Worker w) {
        Process p = w.process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                if (!p.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("worker '%s' (pid %d) still runs %s after SIGKILL", w.id, p.pid(), KILL_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> CompletableFuture<T> submit(String what, Supplier<T> work, Runnable onRejected) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            onRejected.run();
            return failed(new ProvisionerException(Kind.BUSY, "cannot " + what + ": " + QUEUE
                    + " provisioning operations wait already, or the provisioner is closing"));
        }
    }

    private static <T> CompletableFuture<T> failed(ProvisionerException e) {
        return CompletableFuture.failedFuture(e);
    }

    private HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).GET().build());
    }

    /** The answer, or null when the worker did not answer (not listening yet, or gone). */
    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionerException(Kind.FAILED, "interrupted calling " + request.uri(), e);
        }
    }

    private static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    /** The worker's {@code localInstances}; 0 while its runtime has not started; -1 when it did not answer. */
    private static int localInstances(HttpResponse<String> response) {
        if (response == null || response.statusCode() != 200) {
            return -1;
        }
        try {
            JsonNode n = JSON.readTree(response.body()).path("localInstances");
            return n.isNull() || n.isMissingNode() ? 0 : n.asInt(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis()); // poll interval of a deadline-bounded wait on a provisioner thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionerException(Kind.FAILED, "interrupted while waiting for a worker");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ProvisionerException(Kind.FAILED, "no free port for a worker's HTTP server: " + e.getMessage(),
                    e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
