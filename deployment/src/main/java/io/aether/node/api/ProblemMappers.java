package io.aether.node.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every error leaving the REST layer to an RFC 9457 problem. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), e.getMessage(),
                uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "unexpected error serving %s", uri.getPath());
        return new Problem("about:blank", "Internal Server Error", 500,
                "the node failed to serve this request; see its log for '" + uri.getPath() + "'", uri.getPath())
                .toResponse();
    }
}
