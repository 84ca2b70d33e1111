package io.aether.core.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aether.core.slice.Artifact;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static Blueprint blueprint(String name, String artifact, Blueprint.Route... routes) {
        return new Blueprint("acme", name, List.of(new Blueprint.Slice(Artifact.parse(artifact), 1, 1, 1,
                Blueprint.Slo.DEFAULT, Map.of(), List.of(routes), Blueprint.Priority.NORMAL)));
    }

    @Test
    void aRouteLeadsToItsArtifactEntryAndBlueprint() {
        RouteTable table = RouteTable.of(List.of(
                blueprint("shop", "g:cart:1", new Blueprint.Route("POST", "/cart", "add"),
                        new Blueprint.Route("GET", "/cart", "show")),
                blueprint("web", "g:greet:2", new Blueprint.Route("GET", "/greet", "greet"))));
        assertEquals(new RouteTable.Target(Artifact.parse("g:cart:1"), "add", "acme/shop",
                Blueprint.Priority.NORMAL),
                table.lookup("POST", "/cart"));
        assertEquals(new RouteTable.Target(Artifact.parse("g:cart:1"), "show", "acme/shop",
                Blueprint.Priority.NORMAL),
                table.lookup("GET", "/cart"));
        assertEquals("greet", table.lookup("GET", "/greet").entry());
        assertEquals(3, table.size());
    }

    @Test
    void anotherMethodAnUnknownMethodOrAnotherPathFindsNothing() {
        RouteTable table = RouteTable.of(List.of(blueprint("shop", "g:cart:1",
                new Blueprint.Route("POST", "/cart", "add"))));
        assertNull(table.lookup("GET", "/cart"));
        assertNull(table.lookup("PATCH", "/cart"));
        assertNull(table.lookup("POST", "/cart/"));
        assertNull(RouteTable.EMPTY.lookup("GET", "/"));
    }

    @Test
    void aRouteClaimedTwiceGoesToTheBlueprintFirstInIdOrder() {
        RouteTable table = RouteTable.of(List.of(
                blueprint("zeta", "g:z:1", new Blueprint.Route("GET", "/x", "z")),
                blueprint("alpha", "g:a:1", new Blueprint.Route("GET", "/x", "a"))));
        assertEquals("acme/alpha", table.lookup("GET", "/x").blueprint());
        assertEquals(1, table.shadowed().size());
    }

    @Test
    void lookupAllocatesNothing() {
        RouteTable table = RouteTable.of(List.of(blueprint("shop", "g:cart:1",
                new Blueprint.Route("POST", "/cart", "add"), new Blueprint.Route("GET", "/cart", "show"))));
        String method = new String("POST".toCharArray());
        String path = new String("/cart".toCharArray());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int hits = 0;
        for (int i = 0; i < 20_000; i++) { // warm up, so the measured loop runs compiled code
            hits += table.lookup(method, path) != null ? 1 : 0;
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            hits += table.lookup(method, path) != null ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(120_000, hits);
        // The measurement itself may allocate a few bytes; 100,000 allocating lookups would be megabytes.
        assertEquals(0, allocated / 1024, "allocated " + allocated + " bytes in 100,000 lookups");
    }
}
