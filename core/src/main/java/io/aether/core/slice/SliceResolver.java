package io.aether.core.slice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.resolution.ResolutionErrorPolicy;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves a slice and its runtime dependencies to jar files with Maven Resolver. Checksums are enforced
 * (policy FAIL), so a corrupted or unverifiable download is refused. The slice API is excluded: the
 * parent class loader provides it. Thread-safe: one session shared by all resolutions.
 */
final class SliceResolver implements AutoCloseable {

    static final String SLICE_API_GROUP = "io.aether";
    static final String SLICE_API_ARTIFACT = "aether-slice-api";

    private final RepositorySystem system;
    private final CloseableSession session;
    private final List<RemoteRepository> repositories;

    SliceResolver(List<SliceStoreConfig.Repository> repositories, Path cacheDirectory) {
        this.system = new RepositorySystemSupplier().get();
        this.session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(cacheDirectory)
                .setSystemProperties(System.getProperties())
                .setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_FAIL)
                // A missing artifact published later must be found on the next LOAD, not hidden by a cached miss.
                .setResolutionErrorPolicy(new org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy(
                        ResolutionErrorPolicy.CACHE_DISABLED))
                .build();
        List<RemoteRepository> remotes = new ArrayList<>();
        for (SliceStoreConfig.Repository r : repositories) {
            remotes.add(new RemoteRepository.Builder(r.id(), "default", r.url().toString())
                    // Releases never change; a snapshot is re-checked on every LOAD so a rebuilt slice is picked up.
                    .setReleasePolicy(new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY,
                            RepositoryPolicy.CHECKSUM_POLICY_FAIL))
                    .setSnapshotPolicy(new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_ALWAYS,
                            RepositoryPolicy.CHECKSUM_POLICY_FAIL))
                    .build());
        }
        this.repositories = List.copyOf(remotes);
    }

    /**
     * The slice's jar first, then its runtime dependencies.
     *
     * @throws SliceFailure (LOADING) naming the artifact and the resolver's reason
     */
    List<Path> resolve(Artifact artifact) {
        Dependency root = new Dependency(
                new DefaultArtifact(artifact.groupId(), artifact.artifactId(), "jar", artifact.version()),
                JavaScopes.RUNTIME, false,
                List.of(new Exclusion(SLICE_API_GROUP, SLICE_API_ARTIFACT, "*", "*")));
        CollectRequest collect = new CollectRequest(root, repositories);
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        DependencyResult result;
        try {
            result = system.resolveDependencies(session, request);
        } catch (DependencyResolutionException e) {
            throw new SliceFailure(SliceState.LOADING,
                    "cannot resolve " + artifact + " from " + repositoryUrls() + ": " + rootMessage(e), e);
        }
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult r : result.getArtifactResults()) {
            Path file = r.getArtifact().getPath();
            boolean isRoot = r.getArtifact().getGroupId().equals(artifact.groupId())
                    && r.getArtifact().getArtifactId().equals(artifact.artifactId());
            if (isRoot) {
                jars.add(0, file);
            } else {
                jars.add(file);
            }
        }
        return List.copyOf(jars);
    }

    private List<String> repositoryUrls() {
        return repositories.stream().map(RemoteRepository::getUrl).toList();
    }

    /** The resolver nests the real reason (checksum, not found) a few causes down; show each distinct message once. */
    static String rootMessage(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 6; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && messages.stream().noneMatch(x -> x.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(": ", messages);
    }

    @Override
    public void close() {
        session.close();
        system.shutdown();
    }
}
