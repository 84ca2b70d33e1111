package io.aether.node.api;

import io.aether.core.deployment.BlueprintException;
import io.aether.node.RuntimeNotReadyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Runtime failures as problem details: invalid blueprint 422, conflict 409, unknown 404, not started 503. */
public class RuntimeProblems {

    @ServerExceptionMapper
    public Response blueprint(BlueprintException e, UriInfo uri) {
        int status = switch (e.kind()) {
            case INVALID -> 422;
            case CONFLICT -> 409;
            case NOT_FOUND -> 404;
        };
        String title = switch (e.kind()) {
            case INVALID -> "Invalid Blueprint";
            case CONFLICT -> "Blueprint Conflict";
            case NOT_FOUND -> "Not Found";
        };
        return new Problem("about:blank", title, status, e.getMessage(), uri.getPath(), e.violations().stream()
                .map(v -> new Problem.FieldError(v.field(), v.message())).toList()).toResponse();
    }

    @ServerExceptionMapper
    public Response notReady(RuntimeNotReadyException e, UriInfo uri) {
        Response response = new Problem("about:blank", "Service Unavailable", 503, e.getMessage(), uri.getPath())
                .toResponse();
        return Response.fromResponse(response).header("Retry-After", "1").build();
    }
}
