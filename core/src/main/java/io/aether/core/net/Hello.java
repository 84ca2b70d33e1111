package io.aether.core.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The first frame on every connection, sent by the dialing side:
 * {@code [u8 role][u8 nodeIdLength][nodeId utf8][u16 secretLength][secret utf8]}. The cluster id travels in the
 * frame header. The secret is compared in constant time by the acceptor.
 */
record Hello(Role role, String nodeId, String secret) {
    static final int MAX_NODE_ID_BYTES = 255;
    static final int MAX_SECRET_BYTES = 1024;

    byte[] encode() {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        byte[] sec = secret.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(1 + 1 + id.length + 2 + sec.length);
        buf.put((byte) role.ordinal());
        buf.put((byte) id.length);
        buf.put(id);
        buf.putShort((short) sec.length);
        buf.put(sec);
        return buf.array();
    }

    static Hello decode(byte[] payload) throws FrameException {
        ByteBuffer buf = ByteBuffer.wrap(payload);
        try {
            int roleByte = Byte.toUnsignedInt(buf.get());
            if (roleByte >= Role.values().length) {
                throw new FrameException("HELLO names unknown role " + roleByte);
            }
            byte[] id = new byte[Byte.toUnsignedInt(buf.get())];
            buf.get(id);
            byte[] sec = new byte[Short.toUnsignedInt(buf.getShort())];
            buf.get(sec);
            if (buf.hasRemaining()) {
                throw new FrameException("HELLO has " + buf.remaining() + " trailing bytes");
            }
            if (id.length == 0) {
                throw new FrameException("HELLO has an empty node id");
            }
            return new Hello(Role.values()[roleByte], new String(id, StandardCharsets.UTF_8),
                    new String(sec, StandardCharsets.UTF_8));
        } catch (java.nio.BufferUnderflowException e) {
            throw new FrameException("HELLO payload of " + payload.length + " bytes is truncated");
        }
    }

    /** Validates a local node id so that it fits a HELLO. */
    static String requireNodeId(String nodeId, String what) {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (nodeId.getBytes(StandardCharsets.UTF_8).length > MAX_NODE_ID_BYTES) {
            throw new IllegalArgumentException(what + " '" + nodeId + "' is longer than " + MAX_NODE_ID_BYTES
                    + " UTF-8 bytes");
        }
        return nodeId;
    }

    static String requireSecret(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("secret must not be null (use \"\" for no secret)");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException("secret is longer than " + MAX_SECRET_BYTES + " UTF-8 bytes");
        }
        return secret;
    }
}
