package io.aether.node.api;

import io.aether.core.client.KvException;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvResult;
import io.aether.node.AetherNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The replicated KV for operators: {@code /api/v1/kv/{key}} get, put, delete; {@code /api/v1/kv?prefix=} range;
 * {@code /api/v1/kv-watch?prefix=} as server-sent events. Values are raw bytes in, JSON out.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class KvResource {

    private final AetherNode node;

    KvResource(AetherNode node) {
        this.node = node;
    }

    /** Read consistency: through the log, or this node's local state. */
    public enum Consistency { linearizable, serializable }

    /** A key's value and revisions; {@code value} is UTF-8 text, or base64 when {@code encoding} says so. */
    public record Entry(String key, String value, String encoding, long createRevision, long modRevision,
                        long version) {
        static Entry of(KeyValue kv) {
            KvJson.Text text = KvJson.text(kv.value());
            return new Entry(kv.key(), text.value(), text.encoding(), kv.createRevision(), kv.modRevision(),
                    kv.version());
        }
    }

    /** The outcome of a write. */
    public record WriteResult(long revision) {
    }

    /** A page of a range read; ask again with {@code after} set to the last key when {@code more}. */
    public record RangePage(List<Entry> kvs, boolean more, long revision) {
    }

    @GET
    @Path("/kv/{key: .+}")
    @Operation(summary = "Read one key (linearizable by default)")
    public Uni<Entry> get(@PathParam("key") String key,
                          @QueryParam("consistency") @DefaultValue("linearizable") Consistency consistency) {
        CompletableFuture<Optional<KeyValue>> read = consistency == Consistency.linearizable
                ? node.kv().get(key) : node.kv().getLocal(key);
        return Uni.createFrom().completionStage(read).map(kv -> kv.map(Entry::of)
                .orElseThrow(() -> new NotFoundException("key '" + key + "' does not exist")));
    }

    @PUT
    @Path("/kv/{key: .+}")
    @Operation(summary = "Write one key; the body is the value")
    public Uni<WriteResult> put(@PathParam("key") String key, byte[] body) {
        return Uni.createFrom().completionStage(node.kv().put(key, body == null ? new byte[0] : body))
                .map(WriteResult::new);
    }

    @DELETE
    @Path("/kv/{key: .+}")
    @Operation(summary = "Delete one key")
    public Uni<WriteResult> delete(@PathParam("key") String key) {
        return Uni.createFrom().completionStage(node.kv().delete(key)).map(r -> {
            if (r instanceof KvResult.Ok ok) {
                if (ok.prevKv().isEmpty()) {
                    throw new NotFoundException("key '" + key + "' does not exist");
                }
                return new WriteResult(ok.revision());
            }
            if (r instanceof KvResult.Error error) {
                throw KvProblems.toWebException(error);
            }
            throw new KvException("delete '" + key + "' got an unexpected result " + r);
        });
    }

    @GET
    @Path("/kv")
    @Operation(summary = "Read the keys under a prefix, at most limit of them")
    public Uni<RangePage> range(@QueryParam("prefix") @DefaultValue("") String prefix,
                                @QueryParam("limit") @DefaultValue("100") int limit,
                                @QueryParam("consistency") @DefaultValue("linearizable") Consistency consistency) {
        if (limit < 1) {
            throw new BadRequestException("limit must be at least 1, was " + limit);
        }
        CompletableFuture<KvResult.RangeResult> read = consistency == Consistency.linearizable
                ? node.kv().range(prefix, limit) : node.kv().rangeLocal(prefix, limit);
        return Uni.createFrom().completionStage(read)
                .map(r -> new RangePage(r.kvs().stream().map(Entry::of).toList(), r.more(), r.revision()));
    }

    /** One watched change, as an SSE event. */
    public record Change(long revision, String type, Entry kv) {
    }

    @GET
    @Path("/kv-watch")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stream every change under a prefix from a revision on (server-sent events)")
    public Multi<Change> watch(@QueryParam("prefix") @DefaultValue("") String prefix,
                               @QueryParam("fromRevision") @DefaultValue("0") long fromRevision) {
        return KvJson.watch(node.kv(), prefix, fromRevision);
    }
}
