package io.aether.bench.bare;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The bare peer's only endpoint: the same trivial work the Aether benchmarks route to a slice. */
@Path("/echo")
public class EchoResource {

    /** A fixed greeting. */
    public record Greeting(String message) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Greeting echo() {
        return new Greeting("hello");
    }
}
