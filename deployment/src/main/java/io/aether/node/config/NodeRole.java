package io.aether.node.config;

/** Whether a node votes in consensus ({@code CORE}) or only runs slices and uses the KV ({@code WORKER}). */
public enum NodeRole {
    CORE,
    WORKER
}
