package io.aether.bench.bare;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The same work as the example greeting slice's {@code greet} entry point, as a plain Quarkus REST endpoint. It
 * runs on the event loop ({@code @NonBlocking}), as the Aether router does, so neither side pays a thread hop.
 */
@Path("/greet")
public class GreetResource {

    /** The request: who to greet. */
    public record Request(String name) {
    }

    /** The answer, shaped like the slice's. */
    public record Greeting(String message, String instance) {
    }

    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Greeting greet(Request request) {
        String name = request == null || request.name() == null ? "world" : request.name();
        return new Greeting("Hello, " + name + "!", "bare");
    }
}
