package io.aether.node.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Optional;

/**
 * Which {@code NodeProvisioner} this node offers ({@code aether.provisioner}): {@code none}, or {@code local}, which
 * starts worker nodes as child processes of this one (docs/operations.md "Provisioning workers").
 */
@ConfigMapping(prefix = "aether.provisioner")
public interface ProvisionerConfig {

    /** {@code none} or {@code local}. Kept a string so a bad value gets our message. */
    @WithParentName
    @WithDefault("none")
    String kind();

    Local local();

    /** The local process provisioner. */
    interface Local {
        /** Most workers this node runs at once. */
        @WithDefault("4")
        int maxWorkers();

        /**
         * The node's runner jar; by default the one this process runs from (its class path is a single
         * {@code quarkus-run.jar}).
         */
        Optional<String> runnerJar();

        /** JVM options of a worker, space separated. */
        @WithDefault("-Xmx256m")
        String jvmOptions();

        /** How long a worker may take until its {@code /q/health/started} answers. */
        @WithDefault("60s")
        Duration startTimeout();

        /** How long a draining worker may take until none of its instances runs any more. */
        @WithDefault("60s")
        Duration drainTimeout();

        /** How long a worker may take to stop after SIGTERM before it is killed. */
        @WithDefault("10s")
        Duration stopTimeout();
    }
}
