package io.aether.node.api;

import io.aether.core.client.KvException;
import io.aether.core.kv.CompactedException;
import io.aether.core.kv.KvResult;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** KV failures as problem details: bad input 400, quota exceeded 507, compacted 410, cluster unavailable or late 503. */
public class KvProblems {

    static KvException toWebException(KvResult.Error error) {
        return new KvException(error.code() + ": " + error.message(), error.code());
    }

    @ServerExceptionMapper
    public Response kv(KvException e, UriInfo uri) {
        int status = e.code().map(code -> switch (code) {
            case INVALID_KEY, LIMIT_EXCEEDED, INVALID_ARGUMENT, MALFORMED_COMMAND -> 400;
            case QUOTA_EXCEEDED -> 507;
            case SESSION_UNKNOWN, SEQ_TOO_OLD, RESULT_DROPPED -> 503;
        }).orElse(503);
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 507 -> "Insufficient Storage";
            default -> "KV Unavailable";
        };
        Response response = new Problem("about:blank", title, status, e.getMessage(), uri.getPath()).toResponse();
        if (status == 503) {
            return Response.fromResponse(response).header("Retry-After", "1").build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response compacted(CompactedException e, UriInfo uri) {
        return new Problem("about:blank", "Gone", 410, e.getMessage(), uri.getPath()).toResponse();
    }
}
