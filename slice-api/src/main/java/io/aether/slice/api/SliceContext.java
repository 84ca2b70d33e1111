package io.aether.slice.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What Aether gives an instance when it activates it: who it is, its configuration, and a way to call others. */
public interface SliceContext {

    /** The coordinates this instance was loaded from, {@code group:artifact:version}. */
    String artifact();

    /** This instance's id, unique in the cluster, e.g. {@code node-1.0}. */
    String instanceId();

    /** The {@code config} map of this slice in its blueprint; empty when the blueprint gives none. */
    Map<String, String> config();

    /** A logger whose lines name the slice and the instance. */
    System.Logger logger();

    /**
     * Calls an entry point of another slice (or of this one) wherever an instance runs: on this node when one is
     * healthy here, else on another node. {@code artifact} is {@code group:artifact} (any deployed version) or
     * {@code group:artifact:version}. The stage fails with a {@link SliceException} when no instance is
     * available ({@code 503}), the deadline passes ({@code 504}) or the callee fails (its status).
     */
    CompletionStage<String> call(String artifact, String entryPoint, String requestJson, Duration deadline);
}
