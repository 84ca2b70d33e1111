package io.aether.core.slice;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of a {@link MavenSliceStore}.
 *
 * @param repositories    where slices are resolved from, in order; a directory with the Maven layout is a
 *                        {@code file:} URL. Every artifact must come with checksums ({@code .sha1}/{@code .md5}).
 * @param cacheDirectory  the local repository the resolved jars are cached in, e.g. {@code {dataDir}/slice-cache}
 * @param loadTimeout     bound of LOADING (resolution, downloads, class loader, probe instance)
 * @param activateTimeout bound of ACTIVATING (the slice's {@code activate})
 * @param deactivateTimeout bound of DEACTIVATING (the slice's {@code deactivate})
 * @param unloadTimeout   bound of UNLOADING (closing the class loader)
 * @param workerThreads   threads that run lifecycle steps (resolution blocks on I/O)
 * @param maxQueuedSteps  steps waiting for a worker; a step beyond it fails at once
 */
public record SliceStoreConfig(List<Repository> repositories, Path cacheDirectory, Duration loadTimeout,
                               Duration activateTimeout, Duration deactivateTimeout, Duration unloadTimeout,
                               int workerThreads, int maxQueuedSteps) {

    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ACTIVATE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DEACTIVATE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UNLOAD_TIMEOUT = Duration.ofSeconds(5);

    public SliceStoreConfig {
        Objects.requireNonNull(repositories, "repositories");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        repositories = List.copyOf(repositories);
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("slice store: at least one repository is needed");
        }
        if (repositories.stream().map(Repository::id).distinct().count() != repositories.size()) {
            throw new IllegalArgumentException("slice store: repository ids must be unique: " + repositories);
        }
        positive("loadTimeout", loadTimeout);
        positive("activateTimeout", activateTimeout);
        positive("deactivateTimeout", deactivateTimeout);
        positive("unloadTimeout", unloadTimeout);
        if (workerThreads < 1 || workerThreads > 64) {
            throw new IllegalArgumentException("slice store: workerThreads " + workerThreads + " is not in 1..64");
        }
        if (maxQueuedSteps < 1 || maxQueuedSteps > 10_000) {
            throw new IllegalArgumentException("slice store: maxQueuedSteps " + maxQueuedSteps + " is not in 1..10000");
        }
    }

    /** The default timeouts (30 s / 10 s / 10 s / 5 s), 4 workers and 1024 queued steps. */
    public static SliceStoreConfig of(List<Repository> repositories, Path cacheDirectory) {
        return new SliceStoreConfig(repositories, cacheDirectory, DEFAULT_LOAD_TIMEOUT, DEFAULT_ACTIVATE_TIMEOUT,
                DEFAULT_DEACTIVATE_TIMEOUT, DEFAULT_UNLOAD_TIMEOUT, 4, 1024);
    }

    /** The same configuration with other step timeouts. */
    public SliceStoreConfig withTimeouts(Duration load, Duration activate, Duration deactivate, Duration unload) {
        return new SliceStoreConfig(repositories, cacheDirectory, load, activate, deactivate, unload, workerThreads,
                maxQueuedSteps);
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("slice store: " + what + " " + value + " must be positive");
        }
    }

    /** A Maven repository: an id (used in the cache's bookkeeping) and a {@code file:}, {@code http:} or {@code https:} URL. */
    public record Repository(String id, URI url) {

        private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

        public Repository {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("repository id '" + id
                        + "' must be 1..64 characters of letters, digits, '_', '.', '-'");
            }
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equals("file") || scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException("repository '" + id + "': url " + url
                        + " must be a file:, http: or https: URL");
            }
        }

        /** A local directory in Maven layout. */
        public static Repository directory(String id, Path directory) {
            return new Repository(id, directory.toAbsolutePath().normalize().toUri());
        }
    }
}
