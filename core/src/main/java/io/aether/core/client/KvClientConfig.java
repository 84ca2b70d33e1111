package io.aether.core.client;

import io.aether.core.net.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link KvClient} reaches the cluster.
 *
 * @param servers          core nodes' peer-transport addresses; the client fails over among them in order
 * @param clusterId        must match the nodes' cluster id
 * @param secret           shared cluster secret ("" when the cluster has none)
 * @param name             names this client in the nodes' logs
 * @param requestTimeout   default deadline of a request, retries included
 * @param resendAfter      a request not answered within this is sent again (same clientId and seq: applied once)
 * @param sessions         dedupe sessions; each carries up to {@link #SESSION_WINDOW} requests in flight
 * @param maxQueued        requests waiting for a free session slot before new ones are refused
 */
public record KvClientConfig(List<HostAndPort> servers, int clusterId, String secret, String name,
                             Duration requestTimeout, Duration resendAfter, int sessions, int maxQueued) {

    /**
     * Requests in flight per session. It stays below the KV's per-client dedupe window (64), so a retry is
     * always still inside the window and applies at most once.
     */
    public static final int SESSION_WINDOW = 48;

    public KvClientConfig {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("KvClient needs at least one core node address");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (sessions < 1 || sessions > 1024) {
            throw new IllegalArgumentException("sessions must be in 1..1024, was " + sessions);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be >= 0, was " + maxQueued);
        }
    }

    /** 5 s deadline, resend after 1 s, 4 sessions (192 in flight), 10,000 queued. */
    public static KvClientConfig defaults(List<HostAndPort> servers, int clusterId, String name) {
        return new KvClientConfig(servers, clusterId, "", name, Duration.ofSeconds(5), Duration.ofSeconds(1), 4,
                10_000);
    }

    public KvClientConfig withSecret(String newSecret) {
        return new KvClientConfig(servers, clusterId, newSecret, name, requestTimeout, resendAfter, sessions,
                maxQueued);
    }

    public KvClientConfig withSessions(int newSessions) {
        return new KvClientConfig(servers, clusterId, secret, name, requestTimeout, resendAfter, newSessions,
                maxQueued);
    }

    public KvClientConfig withRequestTimeout(Duration newTimeout) {
        return new KvClientConfig(servers, clusterId, secret, name, newTimeout, resendAfter, sessions, maxQueued);
    }
}
