package io.aether.node.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner's bounds and failures, with stand-in processes that never become a node: {@code sh -c 'sleep 30'}
 * (alive, never healthy; the provisioner's {@code -D} options become the script's ignored arguments) and
 * {@code sh -c 'exit 3'}. The real node is started by {@code LocalProvisionerIT}.
 */
class LocalProcessProvisionerTest {

    @TempDir
    Path dir;

    private LocalProcessProvisioner provisioner(String script, int maxWorkers, Duration startTimeout) {
        return new LocalProcessProvisioner(new WorkerLaunch(List.of("sh", "-c", script, "-jar", "none.jar"), Map.of(),
                Map.of(), dir, "n1-worker-", maxWorkers, startTimeout, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private static ProvisionerException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(ProvisionerException.class, e.getCause());
    }

    @Test
    void aWorkerThatExitsBeforeItStartsFailsTheAddNamingItsExitCodeAndLog() {
        try (LocalProcessProvisioner p = provisioner("exit 3", 2, Duration.ofSeconds(10))) {
            ProvisionerException e = failure(p.addWorker("test"));
            assertEquals(ProvisionerException.Kind.FAILED, e.kind());
            assertTrue(e.getMessage().startsWith("worker 'n1-worker-1' exited with code 3 before it started; see "),
                    e.getMessage());
            assertEquals(List.of(), p.describe(), "a failed worker frees its slot");
        }
    }

    @Test
    void aWorkerThatNeverAnswersIsStoppedAfterTheStartTimeout() throws InterruptedException {
        try (LocalProcessProvisioner p = provisioner("sleep 30", 2, Duration.ofMillis(500))) {
            CompletableFuture<String> add = p.addWorker("test");
            long pid = awaitPid(p);
            ProvisionerException e = failure(add);
            assertTrue(e.getMessage().contains("did not answer http://127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().contains("within PT0.5S (aether.provisioner.local.start-timeout)"),
                    e.getMessage());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the process still runs");
        }
    }

    @Test
    void addingBeyondTheLimitIsRefusedAtOnceAndClosingStopsTheStartingWorker() throws InterruptedException {
        LocalProcessProvisioner p = provisioner("sleep 30", 1, Duration.ofSeconds(20));
        CompletableFuture<String> first = p.addWorker("test");
        ProvisionerException limit = failure(p.addWorker("test"));
        assertEquals(ProvisionerException.Kind.LIMIT_REACHED, limit.kind());
        assertEquals("cannot add a worker: 1 of at most 1 run already [n1-worker-1]"
                + " (aether.provisioner.local.max-workers)", limit.getMessage());
        long pid = awaitPid(p);
        p.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "close left the worker running");
        failure(first);
        assertEquals(ProvisionerException.Kind.BUSY, failure(p.addWorker("after close")).kind());
    }

    @Test
    void removingAWorkerItDidNotStartNamesItsWorkers() {
        try (LocalProcessProvisioner p = provisioner("exit 0", 1, Duration.ofSeconds(1))) {
            ProvisionerException e = failure(p.removeWorker("someone-else", "test"));
            assertEquals(ProvisionerException.Kind.UNKNOWN_WORKER, e.kind());
            assertEquals("'someone-else' is not a worker this node started; its workers are []", e.getMessage());
        }
    }

    @Test
    void aLaunchMustEndWithTheRunnerJar() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WorkerLaunch(
                List.of("java", "-Xmx256m"), Map.of(), Map.of(), dir, "w-", 1, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals("worker command [java, -Xmx256m] must end with -jar <runner jar>", e.getMessage());
    }

    /** The pid of the only worker, once its process runs. */
    private static long awaitPid(LocalProcessProvisioner p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<LocalProcessProvisioner.WorkerView> views = p.describe();
            if (!views.isEmpty() && views.get(0).pid() != 0) {
                return views.get(0).pid();
            }
            Thread.sleep(10); // polling interval of a deadline-bounded wait
        }
        throw new AssertionError("no worker process within 10 s");
    }
}
