package io.aether.core.endpoint;

import io.aether.core.slice.Artifact;

/**
 * The {@code endpoints/} keys of DESIGN §4: {@code endpoints/{group:artifact:version}/{entry}:{instance}}.
 * Written (put on activation, deleted before deactivation) by the hosting node; read by every router.
 */
public final class EndpointKeys {

    public static final String PREFIX = "endpoints/";

    private EndpointKeys() {}

    public static String key(Artifact artifact, String entryPoint, String instanceId) {
        return PREFIX + artifact + "/" + entryPoint + ":" + instanceId;
    }

    /** The prefix of every endpoint of one artifact version. */
    public static String prefix(Artifact artifact) {
        return PREFIX + artifact + "/";
    }
}
