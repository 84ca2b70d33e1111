package io.aether.core.testing;

import io.aether.core.net.HostAndPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy to one upstream that a test can cut: {@link #pause()} closes every connection and refuses
 * new ones until {@link #resume()}. Lets a test take a client off the network while others keep writing.
 */
public final class PausableProxy implements AutoCloseable {

    private final HostAndPort upstream;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean paused;

    public PausableProxy(HostAndPort upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-to-" + upstream);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where clients connect. */
    public HostAndPort address() {
        return new HostAndPort("127.0.0.1", server.getLocalPort());
    }

    /** Closes every proxied connection; new ones are closed at once until {@link #resume()}. */
    public void pause() {
        paused = true;
        open.forEach(PausableProxy::closeQuietly);
        open.clear();
    }

    public void resume() {
        paused = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // the proxy was closed
            }
            if (paused) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket target = new Socket(upstream.host(), upstream.port());
                open.add(client);
                open.add(target);
                pump(client, target);
                pump(target, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side closed (or the test paused the proxy): close the other side too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a test socket that is already broken: nothing to recover
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pause();
    }
}
