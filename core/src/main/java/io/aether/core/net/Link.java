package io.aether.core.net;

/** An established connection: a {@link Wire} whose HELLO succeeded, plus who is on the other end. */
final class Link implements Connection {
    private final Wire wire;
    private final String remoteNodeId;
    private final Role role;

    Link(Wire wire, String remoteNodeId, Role role) {
        this.wire = wire;
        this.remoteNodeId = remoteNodeId;
        this.role = role;
    }

    Wire wire() {
        return wire;
    }

    @Override
    public String remoteNodeId() {
        return remoteNodeId;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public String remoteAddress() {
        return wire.remoteAddress();
    }

    @Override
    public boolean send(byte type, byte[] payload) {
        FrameTypes.requireApplication(type);
        return wire.send(type, payload);
    }

    @Override
    public void close() {
        wire.close();
    }

    @Override
    public String toString() {
        return role + " " + remoteNodeId + "@" + wire.remoteAddress();
    }
}
