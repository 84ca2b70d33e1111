package io.aether.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code aether-node} as a separate JVM for process-level tests. */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private NodeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static NodeProcess start(Path workDir, Map<String, String> properties) throws IOException {
        String jar = System.getProperty("aether.node.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("aether.node.jar is not set to the packaged node (" + jar
                    + "); run through failsafe after 'package'");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The 50-kill crash run writes ≈ 0.8-1 M keys (≈ 164 bytes each against the quota): a 256 MiB quota, and
        // four times that as heap, as the docs advise.
        command.add("-Xmx1g");
        command.add("-Daether.kv.max-data-bytes=" + (256L << 20));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar);
        Files.createDirectories(workDir);
        Path log = workDir.resolve("node.log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new NodeProcess(process, log);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits for the process to end and returns its exit code. */
    int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node did not exit within " + timeoutSeconds + " s; log:\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read node log " + log, e);
        }
    }

    /** SIGKILL: no shutdown hooks, no flush; what was not fsync'd is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, the way an operator stops a node: shutdown hooks run. Waits up to {@code timeoutSeconds}. */
    void terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node did not stop within " + timeoutSeconds + " s of SIGTERM; log:\n"
                    + output());
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
