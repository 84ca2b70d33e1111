package io.aether.node.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}.
 *
 * @param type     URI naming the problem kind ({@code about:blank} when the status says it all)
 * @param title    short summary of the problem kind
 * @param status   HTTP status code
 * @param detail   what was wrong in this request and what to do
 * @param instance the request path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The response carrying this problem. */
    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
