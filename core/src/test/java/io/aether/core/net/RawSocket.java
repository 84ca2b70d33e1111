package io.aether.core.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A blocking loopback socket speaking raw bytes, to play a misbehaving remote end. */
final class RawSocket implements AutoCloseable {
    private final Socket socket;

    RawSocket(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) TestSupport.DEADLINE.toMillis());
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads until the remote end closes (read returns -1); a read timeout fails the caller. */
    byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = in.read(chunk)) != -1) {
            received.write(chunk, 0, n);
        }
        return received.toByteArray();
    }

    /** Decodes frames out of bytes received from a node of {@code clusterId}. */
    static List<Frame> frames(byte[] bytes, int clusterId) throws FrameException {
        List<Frame> frames = new ArrayList<>();
        new FrameDecoder(clusterId, TransportConfig.DEFAULT_MAX_FRAME_BYTES).feed(bytes, 0, bytes.length,
                frames::add);
        return frames;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
