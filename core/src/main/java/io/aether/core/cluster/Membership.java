package io.aether.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Liveness of the nodes under {@code nodes/}, judged on the observer's clock (docs/runtime.md): a node is live
 * while a change of its key was seen within the lease; a node present when the observer started counts as seen at
 * that moment. Pure: the caller passes the time and publishes the events it gets back. Not thread-safe.
 */
final class Membership {

    private static final class Member {
        NodeRecord record;
        long lastSeenNanos;
        boolean live;

        Member(NodeRecord record, long lastSeenNanos) {
            this.record = record;
            this.lastSeenNanos = lastSeenNanos;
        }
    }

    private final long leaseNanos;
    private final TreeMap<String, Member> members = new TreeMap<>();

    Membership(long leaseNanos) {
        if (leaseNanos <= 0) {
            throw new IllegalArgumentException("lease must be positive, was " + leaseNanos + " ns");
        }
        this.leaseNanos = leaseNanos;
    }

    /** A put of the node's key was seen at {@code nowNanos}. */
    List<ClusterEvent> onPut(NodeRecord record, long nowNanos) {
        Member m = members.get(record.nodeId());
        List<ClusterEvent> events = new ArrayList<>(1);
        if (m == null) {
            m = new Member(record, nowNanos);
            members.put(record.nodeId(), m);
        } else if (m.live && m.record.drain() != record.drain()) {
            events.add(new ClusterEvent.NodeDraining(record.nodeId(), record.drain()));
        }
        m.record = record;
        m.lastSeenNanos = nowNanos;
        if (!m.live) {
            m.live = true;
            events.add(new ClusterEvent.NodeJoined(record.nodeId(), record.role()));
        }
        return events;
    }

    /** The node's key was deleted: a live node left cleanly; a failed one is just forgotten. */
    List<ClusterEvent> onDelete(String nodeId) {
        Member m = members.remove(nodeId);
        return m != null && m.live ? List.of(new ClusterEvent.NodeLeft(nodeId)) : List.of();
    }

    /** Marks the nodes whose lease ran out by {@code nowNanos} as failed. */
    List<ClusterEvent> expire(long nowNanos) {
        List<ClusterEvent> events = new ArrayList<>(0);
        for (Member m : members.values()) {
            long silent = nowNanos - m.lastSeenNanos;
            if (m.live && silent > leaseNanos) {
                m.live = false;
                events.add(new ClusterEvent.NodeFailed(m.record.nodeId(), silent / 1_000_000));
            }
        }
        return events;
    }

    /** The live nodes by id, in id order. */
    Map<String, NodeRecord> live() {
        Map<String, NodeRecord> live = new TreeMap<>();
        for (Member m : members.values()) {
            if (m.live) {
                live.put(m.record.nodeId(), m.record);
            }
        }
        return live;
    }

    /** Every node with a key, live or failed, by id in id order. */
    Map<String, NodeRecord> all() {
        Map<String, NodeRecord> all = new TreeMap<>();
        for (Member m : members.values()) {
            all.put(m.record.nodeId(), m.record);
        }
        return all;
    }

    /** The record of a node with a key, live or failed; null when it has none. */
    NodeRecord known(String nodeId) {
        Member m = members.get(nodeId);
        return m == null ? null : m.record;
    }
}
