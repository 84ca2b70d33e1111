/**
 * The running replica: the Rabia engine, the write-ahead log, the KV state machine and the transport put
 * together on one thread per node ({@link io.aether.core.replica.ReplicaNode}). This is where the engine's
 * ordering contract is kept: persist and fsync, then send, then apply and acknowledge.
 */
package io.aether.core.replica;
