package io.aether.core.endpoint;

import io.aether.core.slice.Artifact;

/**
 * The value of an {@code endpoints/} key, stored as JSON {@code {"v":1,"node":..,"instance":..,"state":"ACTIVE"}}
 * (artifact and entry point come from the key). {@link EndpointCodec} reads and writes it.
 */
public record EndpointRecord(Artifact artifact, String entryPoint, String nodeId, String instanceId, String state) {
}
