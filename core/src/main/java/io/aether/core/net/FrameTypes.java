package io.aether.core.net;

/**
 * The type byte space. 0x00..0xEF belong to the layers above; 0xF0..0xFF are reserved for the transport's own
 * control frames so an application type can never be mistaken for a handshake.
 */
final class FrameTypes {
    static final int MAX_APPLICATION_TYPE = 0xEF;
    static final byte HELLO = (byte) 0xF1;
    static final byte HELLO_OK = (byte) 0xF2;
    static final byte ERROR = (byte) 0xF3;
    static final byte PING = (byte) 0xF4;

    private FrameTypes() {}

    static boolean isApplication(byte type) {
        return Byte.toUnsignedInt(type) <= MAX_APPLICATION_TYPE;
    }

    static void requireApplication(byte type) {
        if (!isApplication(type)) {
            throw new IllegalArgumentException("frame type " + hex(type)
                    + " is reserved for the transport; application types are 0x00..0xEF");
        }
    }

    static String hex(byte type) {
        return String.format("0x%02X", Byte.toUnsignedInt(type));
    }
}
