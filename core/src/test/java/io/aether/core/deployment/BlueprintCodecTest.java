package io.aether.core.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.slice.Artifact;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlueprintCodecTest {

    static final String EXAMPLE = """
            {"v":1,"slices":[
              {"artifact":"io.aether.examples:greeting:0.1.0","instances":3,"min":1,"max":10,
               "slo":{"p99Ms":200,"errorRate":0.01},
               "config":{"greeting":"Hello"},
               "routes":[{"method":"POST","path":"/greet","entry":"greet"}]}]}
            """;

    private static Blueprint decode(String json) {
        return BlueprintCodec.decode("acme", "shop", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The violations of {@code slice} (a JSON object) placed as the only slice of a blueprint. */
    private static List<BlueprintException.Violation> violationsOfSlice(String slice) {
        return assertThrows(BlueprintException.class, () -> decode("{\"v\":1,\"slices\":[" + slice + "]}"))
                .violations();
    }

    private static void assertViolation(String slice, String field, String messagePart) {
        List<BlueprintException.Violation> violations = violationsOfSlice(slice);
        assertTrue(violations.stream().anyMatch(v -> v.field().equals(field) && v.message().contains(messagePart)),
                "expected " + field + ": ..." + messagePart + "... in " + violations);
    }

    private static String slice(String extra) {
        return "{\"artifact\":\"g:a:1\",\"instances\":2" + extra + "}";
    }

    @Test
    void theDocumentedExampleDecodesWithEveryField() {
        Blueprint b = decode(EXAMPLE);
        assertEquals("acme/shop", b.id());
        Blueprint.Slice s = b.slices().get(0);
        assertEquals(Artifact.parse("io.aether.examples:greeting:0.1.0"), s.artifact());
        assertEquals(3, s.instances());
        assertEquals(1, s.min());
        assertEquals(10, s.max());
        assertEquals(new Blueprint.Slo(200, 0.01), s.slo());
        assertEquals(Map.of("greeting", "Hello"), s.config());
        assertEquals(List.of(new Blueprint.Route("POST", "/greet", "greet")), s.routes());
    }

    @Test
    void encodingThenDecodingGivesTheSameBlueprint() {
        Blueprint b = decode(EXAMPLE);
        assertEquals(b, BlueprintCodec.decode("blueprints/acme/shop", BlueprintCodec.encode(b)));
    }

    @Test
    void omittedBoundsAndSloTakeTheirDefaults() {
        Blueprint.Slice s = decode("{\"v\":1,\"slices\":[" + slice("") + "]}").slices().get(0);
        assertEquals(1, s.min());
        assertEquals(2, s.max());
        assertEquals(Blueprint.Slo.DEFAULT, s.slo());
    }

    @Test
    void aBlueprintWithoutPriorityIsValidAndItsSlicesAreNormal() {
        assertEquals(Blueprint.Priority.NORMAL, decode(EXAMPLE).slices().get(0).priority());
    }

    @Test
    void eachSliceCarriesItsOwnPriorityThroughEncoding() {
        Blueprint b = decode("{\"v\":1,\"slices\":[" + slice(",\"priority\":\"low\"")
                + ",{\"artifact\":\"g:b:1\",\"instances\":1,\"priority\":\"high\"}]}");
        assertEquals(List.of(Blueprint.Priority.LOW, Blueprint.Priority.HIGH),
                b.slices().stream().map(Blueprint.Slice::priority).toList());
        assertEquals(b, BlueprintCodec.decode("blueprints/acme/shop", BlueprintCodec.encode(b)));
    }

    @Test
    void anUnknownPriorityNamesTheFieldAndTheAllowedValues() {
        BlueprintException e = assertThrows(BlueprintException.class, () -> decode("{\"v\":1,\"slices\":["
                + slice("") + ",{\"artifact\":\"g:b:1\",\"instances\":1,\"priority\":\"urgent\"}]}"));
        assertTrue(e.getMessage().contains("slices[1].priority: 'urgent' is not one of high, normal, low"),
                e.getMessage());
        assertViolation(slice(",\"priority\":3"), "slices[0].priority", "3 is not one of high, normal, low");
        assertViolation(slice(",\"priority\":\"LOW\""), "slices[0].priority", "'LOW' is not one of");
    }

    @Test
    void tenantAndNameMustBeLowercaseIdentifiers() {
        BlueprintException e = assertThrows(BlueprintException.class,
                () -> BlueprintCodec.decode("Acme", "shop_1", EXAMPLE.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("tenant", "name"), e.violations().stream().map(BlueprintException.Violation::field)
                .toList());
        assertTrue(e.getMessage().startsWith("blueprint 'Acme/shop_1': tenant: 'Acme' must match"), e.getMessage());
    }

    @Test
    void theSchemaVersionMustBeOne() {
        BlueprintException e = assertThrows(BlueprintException.class,
                () -> decode("{\"v\":2,\"slices\":[" + slice("") + "]}"));
        assertEquals("v", e.violations().get(0).field());
    }

    @Test
    void aBlueprintHasOneToSixtyFourSlices() {
        BlueprintException none = assertThrows(BlueprintException.class, () -> decode("{\"v\":1,\"slices\":[]}"));
        assertEquals("slices", none.violations().get(0).field());
        StringBuilder many = new StringBuilder("{\"v\":1,\"slices\":[");
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("{\"artifact\":\"g:a").append(i).append(":1\",\"instances\":1}");
        }
        BlueprintException tooMany = assertThrows(BlueprintException.class, () -> decode(many + "]}"));
        assertTrue(tooMany.getMessage().contains("slices: has 65 slices; allowed 1..64"), tooMany.getMessage());
    }

    @Test
    void theArtifactMustBeGroupArtifactVersion() {
        assertViolation("{\"artifact\":\"g:a\",\"instances\":1}", "slices[0].artifact", "group:artifact:version");
        assertViolation("{\"instances\":1}", "slices[0].artifact", "is required");
    }

    @Test
    void instancesMustLieBetweenMinAndMaxAndMaxAtMostAThousand() {
        List<BlueprintException.Violation> below = violationsOfSlice(
                "{\"artifact\":\"g:a:1\",\"instances\":0,\"min\":1,\"max\":3}");
        assertEquals(List.of(new BlueprintException.Violation("slices[0].instances", "0 is below min 1")), below);
        assertViolation(slice(",\"max\":1"), "slices[0].instances", "2 is above max 1");
        assertViolation(slice(",\"max\":1001"), "slices[0].max", "1001 is above 1000");
        assertViolation(slice(",\"min\":-1"), "slices[0].min", "-1 is below 0");
        assertViolation("{\"artifact\":\"g:a:1\"}", "slices[0].instances", "is required");
        assertViolation("{\"artifact\":\"g:a:1\",\"instances\":\"two\"}", "slices[0].instances", "must be an integer");
    }

    @Test
    void theSloBoundsAreChecked() {
        assertViolation(slice(",\"slo\":{\"p99Ms\":0}"), "slices[0].slo.p99Ms", "outside 1..600000");
        assertViolation(slice(",\"slo\":{\"p99Ms\":600001}"), "slices[0].slo.p99Ms", "outside 1..600000");
        assertViolation(slice(",\"slo\":{\"errorRate\":1.5}"), "slices[0].slo.errorRate", "outside 0..1");
    }

    @Test
    void configValuesMustBeStrings() {
        assertViolation(slice(",\"config\":{\"size\":3}"), "slices[0].config.size", "must be a string");
    }

    @Test
    void routesNeedAKnownMethodAServablePathAndAnEntry() {
        assertViolation(slice(",\"routes\":[{\"method\":\"PATCH\",\"path\":\"/x\",\"entry\":\"e\"}]"),
                "slices[0].routes[0].method", "not one of GET, POST, PUT, DELETE");
        assertViolation(slice(",\"routes\":[{\"method\":\"GET\",\"path\":\"x\",\"entry\":\"e\"}]"),
                "slices[0].routes[0].path", "must start with '/'");
        assertViolation(slice(",\"routes\":[{\"method\":\"GET\",\"path\":\"/api/v1/x\",\"entry\":\"e\"}]"),
                "slices[0].routes[0].path", "under /api/ or /q/");
        assertViolation(slice(",\"routes\":[{\"method\":\"GET\",\"path\":\"/q/health\",\"entry\":\"e\"}]"),
                "slices[0].routes[0].path", "under /api/ or /q/");
        assertViolation(slice(",\"routes\":[{\"method\":\"GET\",\"path\":\"/a b?c\",\"entry\":\"e\"}]"),
                "slices[0].routes[0].path", "letters, digits");
        assertViolation(slice(",\"routes\":[{\"method\":\"GET\",\"path\":\"/" + "a".repeat(256)
                + "\",\"entry\":\"e\"}]"), "slices[0].routes[0].path", "at most 256");
        assertViolation(slice(",\"routes\":[{\"method\":\"GET\",\"path\":\"/x\"}]"),
                "slices[0].routes[0].entry", "is required");
    }

    @Test
    void anArtifactOrARouteAppearsOnceInABlueprint() {
        BlueprintException e = assertThrows(BlueprintException.class, () -> decode("{\"v\":1,\"slices\":["
                + "{\"artifact\":\"g:a:1\",\"instances\":1,\"routes\":[{\"method\":\"GET\",\"path\":\"/x\",\"entry\":\"e\"}]},"
                + "{\"artifact\":\"g:a:2\",\"instances\":1,\"routes\":[{\"method\":\"GET\",\"path\":\"/x\",\"entry\":\"f\"}]}]}"));
        assertEquals(List.of("slices[1].artifact", "slices[1].routes[0]"),
                e.violations().stream().map(BlueprintException.Violation::field).toList());
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        BlueprintException e = assertThrows(BlueprintException.class, () -> decode("{\"v\":1,\"slices\":["
                + "{\"artifact\":\"bad\",\"instances\":5,\"max\":2,"
                + "\"routes\":[{\"method\":\"GET\",\"path\":\"/api/x\",\"entry\":\"e\"}]}]}"));
        assertEquals(3, e.violations().size(), e.getMessage());
        assertEquals(BlueprintException.Kind.INVALID, e.kind());
    }

    @Test
    void notJsonIsAViolationNotACrash() {
        BlueprintException e = assertThrows(BlueprintException.class, () -> decode("{nope"));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }

    @Test
    void anArtifactOrRouteOwnedByAnotherBlueprintIsAConflict() {
        Blueprint shop = decode(EXAMPLE);
        Blueprint other = BlueprintCodec.decode("acme", "other", ("{\"v\":1,\"slices\":["
                + "{\"artifact\":\"io.aether.examples:greeting:0.2.0\",\"instances\":1},"
                + "{\"artifact\":\"g:b:1\",\"instances\":1,\"routes\":[{\"method\":\"POST\",\"path\":\"/greet\","
                + "\"entry\":\"e\"}]}]}").getBytes(StandardCharsets.UTF_8));
        BlueprintException e = assertThrows(BlueprintException.class,
                () -> BlueprintConflicts.check(other, List.of(shop)));
        assertEquals(BlueprintException.Kind.CONFLICT, e.kind());
        assertEquals(List.of(
                new BlueprintException.Violation("slices[0].artifact",
                        "'io.aether.examples:greeting' already belongs to blueprint 'acme/shop'"),
                new BlueprintException.Violation("slices[1].routes[0]",
                        "POST /greet already belongs to blueprint 'acme/shop'")), e.violations());
    }

    @Test
    void replacingABlueprintDoesNotConflictWithItself() {
        Blueprint shop = decode(EXAMPLE);
        assertEquals(List.of(), BlueprintConflicts.find(shop, List.of(shop)));
    }
}
