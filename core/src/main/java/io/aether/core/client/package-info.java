/**
 * {@link io.aether.core.client.KvClient}: how every part of Aether (and operators' tools) reads, writes and
 * watches the replicated KV, over the binary transport, with deadlines, safe retries and fail-over across
 * core nodes. {@link io.aether.core.client.KvMirror} keeps a local copy of a key prefix current over it.
 * {@link io.aether.core.client.KvWire} is the client protocol shared with the replica.
 */
package io.aether.core.client;
