package io.aether.core.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.deployment.BlueprintException.Violation;
import io.aether.core.slice.Artifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * JSON of {@code blueprints/} values (schema {@code "v":1}) and every rule of docs/runtime.md. Decoding collects all
 * violations, each naming its field ({@code slices[0].instances: 0 is below min 1}), and throws them together.
 * Defaults: {@code min} = min(1, instances), {@code max} = instances, {@code slo} = p99 1000 ms and error rate 0.01,
 * {@code priority} = normal.
 */
public final class BlueprintCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;
    private static final Pattern ID_PART = Pattern.compile("[a-z0-9-]{1,63}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9/_.\\-]{1,256}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final int MAX_SLICES = 64;
    private static final int MAX_INSTANCES = 1000;
    private static final int MAX_P99_MS = 600_000;

    private BlueprintCodec() {}

    /** Decodes and validates the value of {@code blueprints/{tenant}/{name}}. */
    public static Blueprint decode(String key, byte[] value) {
        String id = BlueprintKeys.id(key);
        int slash = id.indexOf('/');
        if (slash < 0) {
            throw new BlueprintException(id, BlueprintException.Kind.INVALID,
                    List.of(new Violation("key", "'" + key + "' is not blueprints/{tenant}/{name}")));
        }
        return decode(id.substring(0, slash), id.substring(slash + 1), value);
    }

    /** Decodes and validates a blueprint named {@code tenant/name}; throws every violation at once. */
    public static Blueprint decode(String tenant, String name, byte[] value) {
        String id = tenant + "/" + name;
        List<Violation> violations = new ArrayList<>();
        if (!ID_PART.matcher(tenant).matches()) {
            violations.add(new Violation("tenant", "'" + tenant + "' must match [a-z0-9-]{1,63}"));
        }
        if (!ID_PART.matcher(name).matches()) {
            violations.add(new Violation("name", "'" + name + "' must match [a-z0-9-]{1,63}"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            violations.add(new Violation("", "not JSON: " + e.getMessage()));
            throw new BlueprintException(id, BlueprintException.Kind.INVALID, violations);
        }
        if (root == null || !root.isObject()) {
            violations.add(new Violation("", "must be a JSON object"));
            throw new BlueprintException(id, BlueprintException.Kind.INVALID, violations);
        }
        JsonNode v = root.get("v");
        if (v == null || !v.isInt() || v.asInt() != VERSION) {
            violations.add(new Violation("v", "must be " + VERSION + " (the schema version), was " + v));
        }
        List<Blueprint.Slice> slices = new ArrayList<>();
        JsonNode slicesNode = root.get("slices");
        if (slicesNode == null || !slicesNode.isArray()) {
            violations.add(new Violation("slices", "must be an array of 1.." + MAX_SLICES + " slices"));
        } else if (slicesNode.isEmpty() || slicesNode.size() > MAX_SLICES) {
            violations.add(new Violation("slices", "has " + slicesNode.size() + " slices; allowed 1.." + MAX_SLICES));
        } else {
            Set<String> artifacts = new HashSet<>();
            Set<String> routes = new HashSet<>();
            for (int i = 0; i < slicesNode.size(); i++) {
                Blueprint.Slice s = slice("slices[" + i + "]", slicesNode.get(i), violations);
                if (s == null) {
                    continue;
                }
                if (!artifacts.add(s.artifact().versionless())) {
                    violations.add(new Violation("slices[" + i + "].artifact", "'" + s.artifact().versionless()
                            + "' appears twice in this blueprint"));
                }
                for (int r = 0; r < s.routes().size(); r++) {
                    Blueprint.Route route = s.routes().get(r);
                    if (!routes.add(route.method() + " " + route.path())) {
                        violations.add(new Violation("slices[" + i + "].routes[" + r + "]", route.method() + " "
                                + route.path() + " appears twice in this blueprint"));
                    }
                }
                slices.add(s);
            }
        }
        if (!violations.isEmpty()) {
            throw new BlueprintException(id, BlueprintException.Kind.INVALID, violations);
        }
        return new Blueprint(tenant, name, slices);
    }

    private static Blueprint.Slice slice(String at, JsonNode node, List<Violation> violations) {
        if (node == null || !node.isObject()) {
            violations.add(new Violation(at, "must be an object"));
            return null;
        }
        int before = violations.size();
        Artifact artifact = null;
        String coordinates = text(node, "artifact");
        if (coordinates == null) {
            violations.add(new Violation(at + ".artifact", "is required (group:artifact:version)"));
        } else {
            try {
                artifact = Artifact.parse(coordinates);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(at + ".artifact", e.getMessage()));
            }
        }
        Integer instances = integer(at + ".instances", node.get("instances"), violations, true);
        int inst = instances == null ? 0 : instances;
        Integer min = integer(at + ".min", node.get("min"), violations, false);
        Integer max = integer(at + ".max", node.get("max"), violations, false);
        int lo = min == null ? Math.min(1, inst) : min;
        int hi = max == null ? inst : max;
        if (lo < 0) {
            violations.add(new Violation(at + ".min", lo + " is below 0"));
        }
        if (instances != null && inst < lo) {
            violations.add(new Violation(at + ".instances", inst + " is below min " + lo));
        }
        if (instances != null && inst > hi) {
            violations.add(new Violation(at + ".instances", inst + " is above max " + hi));
        }
        if (hi > MAX_INSTANCES) {
            violations.add(new Violation(at + ".max", hi + " is above " + MAX_INSTANCES));
        }
        if (lo > hi) {
            violations.add(new Violation(at + ".min", lo + " is above max " + hi));
        }
        Blueprint.Slo slo = slo(at + ".slo", node.get("slo"), violations);
        Map<String, String> config = config(at + ".config", node.get("config"), violations);
        List<Blueprint.Route> routes = routes(at + ".routes", node.get("routes"), violations);
        Blueprint.Priority priority = priority(at + ".priority", node.get("priority"), violations);
        if (violations.size() != before) {
            return null;
        }
        return new Blueprint.Slice(artifact, inst, lo, hi, slo, config, routes, priority);
    }

    private static Blueprint.Priority priority(String at, JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return Blueprint.Priority.NORMAL;
        }
        for (Blueprint.Priority p : Blueprint.Priority.values()) {
            if (node.isTextual() && p.wireName().equals(node.asText())) {
                return p;
            }
        }
        violations.add(new Violation(at, (node.isTextual() ? "'" + node.asText() + "'" : node.toString())
                + " is not one of high, normal, low"));
        return null;
    }

    private static Blueprint.Slo slo(String at, JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return Blueprint.Slo.DEFAULT;
        }
        if (!node.isObject()) {
            violations.add(new Violation(at, "must be an object with p99Ms and errorRate"));
            return null;
        }
        Integer p99 = integer(at + ".p99Ms", node.get("p99Ms"), violations, false);
        int p99Ms = p99 == null ? Blueprint.Slo.DEFAULT.p99Ms() : p99;
        if (p99Ms < 1 || p99Ms > MAX_P99_MS) {
            violations.add(new Violation(at + ".p99Ms", p99Ms + " is outside 1.." + MAX_P99_MS));
        }
        double errorRate = Blueprint.Slo.DEFAULT.errorRate();
        JsonNode rate = node.get("errorRate");
        if (rate != null && !rate.isNull()) {
            if (!rate.isNumber()) {
                violations.add(new Violation(at + ".errorRate", "must be a number in 0..1"));
            } else {
                errorRate = rate.asDouble();
                if (errorRate < 0 || errorRate > 1) {
                    violations.add(new Violation(at + ".errorRate", errorRate + " is outside 0..1"));
                }
            }
        }
        return new Blueprint.Slo(p99Ms, errorRate);
    }

    private static Map<String, String> config(String at, JsonNode node, List<Violation> violations) {
        Map<String, String> config = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return config;
        }
        if (!node.isObject()) {
            violations.add(new Violation(at, "must be an object of string values"));
            return config;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                violations.add(new Violation(at + "." + e.getKey(), "must be a string, was " + e.getValue()));
            } else {
                config.put(e.getKey(), e.getValue().asText());
            }
        }
        return config;
    }

    private static List<Blueprint.Route> routes(String at, JsonNode node, List<Violation> violations) {
        List<Blueprint.Route> routes = new ArrayList<>();
        if (node == null || node.isNull()) {
            return routes;
        }
        if (!node.isArray()) {
            violations.add(new Violation(at, "must be an array of routes"));
            return routes;
        }
        for (int r = 0; r < node.size(); r++) {
            String here = at + "[" + r + "]";
            JsonNode route = node.get(r);
            if (!route.isObject()) {
                violations.add(new Violation(here, "must be an object with method, path and entry"));
                continue;
            }
            String method = text(route, "method");
            String path = text(route, "path");
            String entry = text(route, "entry");
            boolean ok = true;
            if (method == null || !METHODS.contains(method)) {
                violations.add(new Violation(here + ".method", "'" + method + "' is not one of GET, POST, PUT, DELETE"));
                ok = false;
            }
            if (path == null || !path.startsWith("/")) {
                violations.add(new Violation(here + ".path", "'" + path + "' must start with '/'"));
                ok = false;
            } else if (!PATH.matcher(path).matches()) {
                violations.add(new Violation(here + ".path", "'" + path
                        + "' must be at most 256 characters of letters, digits, '/', '_', '.', '-'"));
                ok = false;
            } else if (path.equals("/api") || path.startsWith("/api/") || path.equals("/q")
                    || path.startsWith("/q/")) {
                violations.add(new Violation(here + ".path", "'" + path
                        + "' is under /api/ or /q/, which the node itself serves"));
                ok = false;
            }
            if (entry == null || entry.isEmpty()) {
                violations.add(new Violation(here + ".entry", "is required (an entry point of the slice)"));
                ok = false;
            }
            if (ok) {
                routes.add(new Blueprint.Route(method, path, entry));
            }
        }
        return routes;
    }

    private static String text(JsonNode node, String field) {
        JsonNode f = node.get(field);
        return f == null || !f.isTextual() ? null : f.asText();
    }

    private static Integer integer(String at, JsonNode node, List<Violation> violations, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                violations.add(new Violation(at, "is required"));
            }
            return null;
        }
        if (!node.isInt()) {
            violations.add(new Violation(at, "must be an integer, was " + node));
            return null;
        }
        return node.asInt();
    }

    public static byte[] encode(Blueprint blueprint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("v", VERSION);
        ArrayNode slices = root.putArray("slices");
        for (Blueprint.Slice s : blueprint.slices()) {
            ObjectNode n = slices.addObject();
            n.put("artifact", s.artifact().toString());
            n.put("instances", s.instances());
            n.put("min", s.min());
            n.put("max", s.max());
            n.put("priority", s.priority().wireName());
            ObjectNode slo = n.putObject("slo");
            slo.put("p99Ms", s.slo().p99Ms());
            slo.put("errorRate", s.slo().errorRate());
            ObjectNode config = n.putObject("config");
            s.config().forEach(config::put);
            ArrayNode routes = n.putArray("routes");
            for (Blueprint.Route r : s.routes()) {
                ObjectNode rn = routes.addObject();
                rn.put("method", r.method());
                rn.put("path", r.path());
                rn.put("entry", r.entry());
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
