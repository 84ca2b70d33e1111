package io.aether.core.net;

/** One decoded frame: its type byte and payload (the cluster id and version were already checked). */
record Frame(byte type, byte[] payload) {}
