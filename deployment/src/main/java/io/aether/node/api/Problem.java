package io.aether.node.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}.
 *
 * @param type     URI naming the problem kind ({@code about:blank} when the status says it all)
 * @param title    short summary of the problem kind
 * @param status   HTTP status code
 * @param detail   what was wrong in this request and what to do
 * @param instance the request path
 * @param errors   the fields the request got wrong, when there are several to name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    /** One broken rule of the request: the field (a JSON path such as {@code slices[0].instances}) and why. */
    public record FieldError(String field, String message) {
    }

    public Problem(String type, String title, int status, String detail, String instance) {
        this(type, title, status, detail, instance, null);
    }

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The response carrying this problem. */
    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
