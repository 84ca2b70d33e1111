package io.aether.core.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aether.core.client.KvClient;
import io.aether.core.deployment.BlueprintException.Kind;
import io.aether.core.deployment.BlueprintException.Violation;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvResult;
import io.aether.core.slice.Artifact;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What operators and the controller do to blueprints: apply, delete, scale one slice, deploy one artifact. Every
 * change is validated ({@link BlueprintCodec}), checked for conflicts with the other blueprints
 * ({@link BlueprintConflicts}) and written with {@code cas} on the blueprint's mod revision, so two concurrent
 * edits of one blueprint cannot lose each other's change (the loser re-reads and retries, at most
 * {@value #MAX_ATTEMPTS} times).
 */
public final class BlueprintService {

    static final int MAX_ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KvClient kv;
    private final Blueprints blueprints;

    public BlueprintService(KvClient kv, Blueprints blueprints) {
        this.kv = kv;
        this.blueprints = blueprints;
    }

    /** The outcome of a write: the blueprint as stored, its revision, and whether it was new. */
    public record Written(Blueprint blueprint, long revision, boolean created) {
    }

    /**
     * Creates or replaces {@code tenant/name} with the JSON {@code document}. The document may name itself with
     * {@code "tenant"} and {@code "name"}; when it does they must match.
     */
    public CompletableFuture<Written> apply(String tenant, String name, byte[] document) {
        Blueprint blueprint = decodeNamed(tenant, name, document);
        return write(tenant, name, current -> blueprint);
    }

    /** Deletes {@code tenant/name}; completes with false when there was none. */
    public CompletableFuture<Boolean> delete(String tenant, String name) {
        String key = BlueprintKeys.key(tenant, name);
        return kv.delete(key).thenApply(r -> {
            if (r instanceof KvResult.Ok ok) {
                return ok.prevKv().isPresent();
            }
            throw new IllegalStateException("delete '" + key + "' answered " + r);
        });
    }

    /** Sets the instance count of the slice of {@code artifact} ({@code group:artifact[:version]}). */
    public CompletableFuture<Written> scale(String tenant, String name, String artifact, int instances) {
        return write(tenant, name, current -> {
            Blueprint existing = current.orElseThrow(() -> notFound(tenant, name));
            List<Blueprint.Slice> slices = new ArrayList<>();
            boolean found = false;
            for (Blueprint.Slice s : existing.slices()) {
                if (matches(s.artifact(), artifact)) {
                    found = true;
                    if (instances < s.min() || instances > s.max()) {
                        throw new BlueprintException(existing.id(), Kind.INVALID, List.of(new Violation("instances",
                                instances + " is outside " + s.artifact() + "'s bounds min " + s.min() + " .. max "
                                        + s.max())));
                    }
                    s = s.withCounts(instances, s.min(), s.max());
                }
                slices.add(s);
            }
            if (!found) {
                throw new BlueprintException(existing.id(), Kind.NOT_FOUND, List.of(new Violation("artifact",
                        "'" + artifact + "' is not a slice of blueprint '" + existing.id() + "'")));
            }
            return revalidate(new Blueprint(tenant, name, slices));
        });
    }

    /**
     * Puts {@code artifact} into {@code tenant/name} with {@code instances} instances: a new slice (min 1 or
     * less, max at least the count), or the same {@code group:artifact} moved to this version with its other
     * settings kept. Creates the blueprint when it does not exist.
     */
    public CompletableFuture<Written> deploy(String tenant, String name, Artifact artifact, int instances) {
        return write(tenant, name, current -> {
            List<Blueprint.Slice> slices = new ArrayList<>();
            boolean replaced = false;
            for (Blueprint.Slice s : current.map(Blueprint::slices).orElse(List.of())) {
                if (s.artifact().versionless().equals(artifact.versionless())) {
                    replaced = true;
                    s = new Blueprint.Slice(artifact, instances, Math.min(s.min(), instances),
                            Math.max(s.max(), instances), s.slo(), s.config(), s.routes(), s.priority());
                }
                slices.add(s);
            }
            if (!replaced) {
                slices.add(new Blueprint.Slice(artifact, instances, Math.min(1, instances),
                        Math.max(instances, 1), Blueprint.Slo.DEFAULT, java.util.Map.of(), List.of(),
                        Blueprint.Priority.NORMAL));
            }
            return revalidate(new Blueprint(tenant, name, slices));
        });
    }

    private CompletableFuture<Written> write(String tenant, String name,
                                             Function<Optional<Blueprint>, Blueprint> change) {
        return attempt(tenant, name, change, 1);
    }

    private CompletableFuture<Written> attempt(String tenant, String name,
                                               Function<Optional<Blueprint>, Blueprint> change, int attempt) {
        String key = BlueprintKeys.key(tenant, name);
        return kv.get(key).thenCompose(stored -> {
            Optional<Blueprint> current = stored.map(kvPair -> BlueprintCodec.decode(key, kvPair.value()));
            Blueprint next = change.apply(current);
            List<Blueprint> others = blueprints.all().values().stream()
                    .filter(b -> !b.id().equals(next.id())).toList();
            BlueprintConflicts.check(next, others);
            long expected = stored.map(KeyValue::modRevision).orElse(0L);
            return kv.cas(key, expected, Optional.of(BlueprintCodec.encode(next))).thenCompose(applied -> {
                if (applied) {
                    return kv.get(key).thenApply(after -> new Written(next,
                            after.map(KeyValue::modRevision).orElse(0L), stored.isEmpty()));
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new BlueprintException(next.id(), Kind.CONFLICT, List.of(new Violation("",
                            "changed concurrently " + MAX_ATTEMPTS + " times while this change was applied; retry")));
                }
                return attempt(tenant, name, change, attempt + 1);
            });
        });
    }

    private static Blueprint decodeNamed(String tenant, String name, byte[] document) {
        List<Violation> violations = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(document);
            if (root != null && root.isObject()) {
                checkName(root, "tenant", tenant, violations);
                checkName(root, "name", name, violations);
            }
        } catch (IOException e) {
            return BlueprintCodec.decode(tenant, name, document); // reports the JSON error with its position
        }
        if (!violations.isEmpty()) {
            throw new BlueprintException(tenant + "/" + name, Kind.INVALID, violations);
        }
        return BlueprintCodec.decode(tenant, name, document);
    }

    private static void checkName(JsonNode root, String field, String expected, List<Violation> violations) {
        JsonNode value = root.get(field);
        if (value != null && !value.asText().equals(expected)) {
            violations.add(new Violation(field, "the document says '" + value.asText() + "' but the path says '"
                    + expected + "'"));
        }
    }

    /** Round-trips a programmatically changed blueprint through the codec, so every rule is checked again. */
    private static Blueprint revalidate(Blueprint blueprint) {
        return BlueprintCodec.decode(blueprint.tenant(), blueprint.name(), BlueprintCodec.encode(blueprint));
    }

    private static boolean matches(Artifact artifact, String name) {
        return artifact.toString().equals(name) || artifact.versionless().equals(name);
    }

    private static BlueprintException notFound(String tenant, String name) {
        return new BlueprintException(tenant + "/" + name, Kind.NOT_FOUND,
                List.of(new Violation("", "blueprint '" + tenant + "/" + name + "' does not exist")));
    }
}
