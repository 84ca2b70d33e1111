package io.aether.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {

    @TempDir
    Path dir;

    private record Config(String id, String role, List<String> peerList, String host, int port, String dataDir,
                          int callPortValue, List<String> repositoryList, Duration leaseValue,
                          Duration retryAfterValue, long quotaValue)
            implements AetherConfig {
        Config(String id, String role, List<String> peerList, String host, int port, String dataDir) {
            this(id, role, peerList, host, port, dataDir, 7200, List.of("file:" + dataDir), Duration.ofSeconds(3),
                    Duration.ofSeconds(2), 64L << 20);
        }

        Config withCall(int callPort, List<String> repositories, Duration lease) {
            return new Config(id, role, peerList, host, port, dataDir, callPort, repositories, lease,
                    retryAfterValue, quotaValue);
        }

        Config withRetryAfter(Duration retryAfter) {
            return new Config(id, role, peerList, host, port, dataDir, callPortValue, repositoryList, leaseValue,
                    retryAfter, quotaValue);
        }

        Config withQuota(long quota) {
            return new Config(id, role, peerList, host, port, dataDir, callPortValue, repositoryList, leaseValue,
                    retryAfterValue, quota);
        }

        @Override
        public Kv kv() {
            return () -> quotaValue;
        }

        @Override
        public Runtime runtime() {
            return new Runtime() {
                public Duration heartbeatInterval() {
                    return Duration.ofSeconds(1);
                }

                public Duration lease() {
                    return leaseValue;
                }

                public Duration reconcileInterval() {
                    return Duration.ofSeconds(5);
                }

                public String allocation() {
                    return "least-loaded";
                }
            };
        }

        @Override
        public Slices slices() {
            return new Slices() {
                public List<String> repositories() {
                    return repositoryList;
                }

                public Optional<String> cacheDir() {
                    return Optional.empty();
                }

                public Duration loadTimeout() {
                    return Duration.ofSeconds(30);
                }

                public Duration activateTimeout() {
                    return Duration.ofSeconds(10);
                }

                public Duration deactivateTimeout() {
                    return Duration.ofSeconds(10);
                }

                public Duration unloadTimeout() {
                    return Duration.ofSeconds(5);
                }
            };
        }

        @Override
        public Router router() {
            return new Router() {
                public Duration callTimeout() {
                    return Duration.ofSeconds(5);
                }

                public int maxBodyBytes() {
                    return 1 << 20;
                }

                public Duration refusingRetryAfter() {
                    return retryAfterValue;
                }
            };
        }
        @Override
        public Node node() {
            return new Node() {
                public String id() {
                    return id;
                }

                public String role() {
                    return role;
                }
            };
        }

        @Override
        public Cluster cluster() {
            return new Cluster() {
                public Optional<List<String>> peers() {
                    return Optional.ofNullable(peerList);
                }

                public String peerHost() {
                    return host;
                }

                public int peerPort() {
                    return port;
                }

                public int id() {
                    return 1;
                }

                public Optional<String> secret() {
                    return Optional.empty();
                }

                public int callPort() {
                    return callPortValue;
                }

                public Optional<String> advertiseHost() {
                    return Optional.empty();
                }
            };
        }
    }

    private Config config(String role, List<String> peers) {
        return new Config("n1", role, peers, "127.0.0.1", 7100, dir.resolve("data").toString());
    }

    private static String rejection(AetherConfig config) {
        return assertThrows(InvalidConfigException.class, () -> NodeSettings.from(config)).getMessage();
    }

    @Test
    void threeCoreNodesAreAcceptedAndParsed() {
        NodeSettings settings = NodeSettings.from(config("core", List.of("n1@h1:7100", "n2@h2:7100", "n3@h3:7101")));
        assertEquals(NodeRole.CORE, settings.role());
        assertEquals(new Peer("n3", "h3", 7101), settings.peers().get(2));
    }

    @Test
    void aCoreNodeWithoutPeersFormsASingleNodeCluster() {
        NodeSettings settings = NodeSettings.from(config("core", null));
        assertEquals(List.of(new Peer("n1", "127.0.0.1", 7100)), settings.peers());
    }

    @Test
    void aKvQuotaOutsideOneMebibyteToOneGibibyteIsNamed() {
        Config config = new Config("n1", "core", null, "127.0.0.1", 7100, dir.toString());
        assertEquals(64L << 20, NodeSettings.from(config).kvMaxDataBytes());
        String message = rejection(config.withQuota(1000));
        assertTrue(message.contains("aether.kv.max-data-bytes") && message.contains("outside 1 MiB .. 1 GiB"), message);
        assertTrue(rejection(config.withQuota(2L << 30)).contains("aether.kv.max-data-bytes"));
    }

    @Test
    void unknownRoleIsNamed() {
        assertEquals("aether.node.role: unknown role 'leader'; expected core or worker",
                rejection(config("leader", null)));
    }

    @Test
    void duplicatePeerIdIsNamed() {
        assertEquals("aether.cluster.peers: duplicate peer id 'n2'",
                rejection(config("core", List.of("n1@h1:1", "n2@h2:1", "n2@h3:1"))));
    }

    @Test
    void malformedPeerEntryIsNamed() {
        assertEquals("aether.cluster.peers: entry 'n1-h1:7100' is not of the form id@host:port",
                rejection(config("core", List.of("n1-h1:7100"))));
    }

    @Test
    void evenVoterSetIsRejected() {
        assertEquals("aether.cluster.peers: 2 core nodes listed; Rabia needs an odd number (1, 3 or 5) so that"
                + " a majority is well defined", rejection(config("core", List.of("n1@h1:1", "n2@h2:1"))));
    }

    @Test
    void coreNodeMissingFromVoterSetIsRejected() {
        assertEquals("aether.cluster.peers: core node 'n1' is not in the voter set [n2@h2:1]; list every core node"
                + " including this one", rejection(config("core", List.of("n2@h2:1"))));
    }

    @Test
    void unwritableDataDirIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Config config = new Config("n1", "core", null, "127.0.0.1", 7100, file.resolve("data").toString());
        String message = rejection(config);
        assertEquals(true, message.startsWith("aether.data-dir: '" + file.resolve("data") + "' is not writable"),
                message);
    }

    @Test
    void peerPortInUseIsNamed() throws Exception {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Config config = new Config("n1", "core", null, "127.0.0.1", socket.getLocalPort(),
                    dir.resolve("data").toString());
            NodeSettings settings = NodeSettings.from(config);
            String message = assertThrows(InvalidConfigException.class, settings::checkPeerPortFree).getMessage();
            assertEquals(true, message.startsWith("aether.cluster.peer-port: port " + socket.getLocalPort()
                    + " on 127.0.0.1 is already in use"), message);
        }
    }

    private String runtimeRejection(Config config) {
        NodeSettings node = NodeSettings.from(config);
        return assertThrows(InvalidConfigException.class, () -> RuntimeSettings.from(config, node)).getMessage();
    }

    @Test
    void runtimeSettingsMakeARelativeFileRepositoryAbsoluteAndAdvertiseThePeerHost() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Config config = config("core", null).withCall(7200, List.of("file:" + repo), Duration.ofSeconds(3));
        RuntimeSettings settings = RuntimeSettings.from(config, NodeSettings.from(config));
        assertEquals(List.of(repo.toUri()), settings.repositories());
        assertEquals("127.0.0.1", settings.advertiseHost());
        assertEquals(dir.resolve("data").toAbsolutePath().resolve("slice-cache"), settings.sliceCacheDir());
    }

    @Test
    void aMissingRepositoryDirectoryIsRejectedNamingTheKey() {
        String message = runtimeRejection(config("core", null).withCall(7200, List.of("file:" + dir.resolve("none")),
                Duration.ofSeconds(3)));
        assertEquals(true, message.startsWith("aether.slices.repositories: 'file:"), message);
    }

    @Test
    void theCallPortMustDifferFromThePeerPort() {
        String message = runtimeRejection(config("core", null).withCall(7100, List.of("file:" + dir),
                Duration.ofSeconds(3)));
        assertEquals(true, message.startsWith("aether.cluster.call-port: port 7100 is also the peer port"), message);
    }

    @Test
    void aLeaseShorterThanTwoHeartbeatsIsRejected() {
        String message = runtimeRejection(config("core", null).withCall(7200, List.of("file:" + dir),
                Duration.ofMillis(1500)));
        assertEquals(true, message.startsWith("aether.runtime.lease: lease 1500 ms is shorter than two heartbeat"),
                message);
    }

    @Test
    void theRefusingRetryAfterIsWholeSecondsFromOneSecondToAnHour() {
        Config config = config("core", null).withCall(7200, List.of("file:" + dir), Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(2), RuntimeSettings.from(config, NodeSettings.from(config))
                .refusingRetryAfter());
        assertEquals("aether.router.refusing-retry-after: PT0.5S is outside 1s..1h",
                runtimeRejection(config.withRetryAfter(Duration.ofMillis(500))));
        assertEquals("aether.router.refusing-retry-after: PT1.5S is not a whole number of seconds (Retry-After"
                + " counts seconds)", runtimeRejection(config.withRetryAfter(Duration.ofMillis(1500))));
        assertEquals("aether.router.refusing-retry-after: PT2H is outside 1s..1h",
                runtimeRejection(config.withRetryAfter(Duration.ofHours(2))));
    }
}
