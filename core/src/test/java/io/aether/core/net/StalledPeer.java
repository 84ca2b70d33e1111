package io.aether.core.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A raw peer that accepts one link, completes the HELLO like a real node, then never reads nor writes again:
 * a hung process whose kernel still holds the socket open.
 */
final class StalledPeer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Socket accepted;

    StalledPeer(String nodeId, int clusterId) throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(4096);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(() -> serve(nodeId, clusterId), "stalled-peer-" + nodeId);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(String nodeId, int clusterId) {
        try {
            accepted = server.accept();
            DataInputStream in = new DataInputStream(accepted.getInputStream());
            byte[] hello = new byte[in.readInt()];
            in.readFully(hello);
            byte[] framed = ByteBuffer.allocate(4 + hello.length).putInt(hello.length).put(hello).array();
            Frame frame = RawSocket.frames(framed, clusterId).get(0);
            if (frame.type() != FrameTypes.HELLO) {
                throw new IllegalStateException("stalled peer expected HELLO, got " + FrameTypes.hex(frame.type()));
            }
            accepted.getOutputStream().write(FrameCodec.encode(FrameTypes.HELLO_OK, clusterId,
                    nodeId.getBytes(StandardCharsets.UTF_8), TransportConfig.DEFAULT_MAX_FRAME_BYTES));
            released.await();
        } catch (IOException | FrameException e) {
            throw new IllegalStateException("stalled peer failed before stalling", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
        Socket socket = accepted;
        if (socket != null) {
            socket.close();
        }
    }
}
