package io.aether.node.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.control.GovernorMirror;
import io.aether.core.control.GovernorState;
import io.aether.core.deployment.RouteTable;
import io.aether.node.AetherNode;
import io.aether.slice.api.SliceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The HTTP router in front of the slices: a request whose (method, path) a blueprint routes is handed to the
 * {@code Invoker} (local instance first, else another node); everything else falls through to the REST API.
 * Admission control comes first: a slice whose governor refuses (or, for a low-priority slice, is degraded)
 * answers 503 with {@code Retry-After} before anything is read or invoked. Runs on the Vert.x event loop and never
 * blocks it.
 */
@ApplicationScoped
public class SliceRouter {

    /** Before RESTEasy Reactive's routes, so a slice route costs one map lookup and nothing else. */
    private static final int ROUTE_ORDER = -100;
    static final String TIMEOUT_HEADER = "X-Aether-Timeout-Ms";
    private static final Logger LOG = Logger.getLogger(SliceRouter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Micrometer name of {@code aether_router_admission_rejected_total{artifact,state}}. */
    static final String REJECTED = "aether.router.admission.rejected";

    private final AetherNode node;
    private final MeterRegistry meters;
    /** One counter per (artifact, state): bounded by the routed artifacts times the two shedding states. */
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    SliceRouter(AetherNode node, MeterRegistry meters) {
        this.node = node;
        this.meters = meters;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (!node.runtimeStarted()) {
            rc.next();
            return;
        }
        HttpServerRequest request = rc.request();
        RouteTable.Target target = node.routes().lookup(request.method().name(), request.path());
        if (target == null) {
            rc.next();
            return;
        }
        GovernorMirror.Status governor = node.runtime().governors().status(target.artifact().toString()).orElse(null);
        if (Admission.sheds(target.priority(), governor)) {
            shed(rc, target, governor);
            return;
        }
        Duration deadline = deadline(request);
        if (deadline == null) {
            problem(rc, 400, "Bad Request", "header " + TIMEOUT_HEADER + " must be a positive number of milliseconds");
            return;
        }
        int max = node.runtimeSettings().maxBodyBytes();
        String length = request.getHeader("Content-Length");
        if (length != null && parseLong(length) > max) {
            problem(rc, 413, "Content Too Large", "request body of " + length + " bytes exceeds the limit of " + max
                    + " bytes (aether.router.max-body-bytes)");
            return;
        }
        if (request.method().name().equals("GET") || request.method().name().equals("DELETE")) {
            invoke(rc, target, queryAsJson(request.params()), deadline);
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > max) {
                if (!rc.response().ended()) {
                    problem(rc, 413, "Content Too Large", "request body exceeds the limit of " + max
                            + " bytes (aether.router.max-body-bytes)");
                }
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!rc.response().ended()) {
                invoke(rc, target, body.length() == 0 ? "{}" : body.toString(), deadline);
            }
        });
    }

    private void invoke(RoutingContext rc, RouteTable.Target target, String json, Duration deadline) {
        node.invoker().call(target.artifact().toString(), target.entry(), json, deadline, traceparent(rc.request()))
                .whenComplete((answer, error) -> rc.vertx().runOnContext(v -> {
                    if (rc.response().ended()) {
                        return;
                    }
                    if (error == null) {
                        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(answer);
                        return;
                    }
                    answerError(rc, target, error);
                }));
    }

    private static void answerError(RoutingContext rc, RouteTable.Target target, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SliceException se) {
            if (se.status() == 503) {
                rc.response().putHeader("Retry-After", "1");
            }
            problem(rc, se.status(), title(se.status()), se.getMessage());
            return;
        }
        LOG.errorf(cause, "call to %s entry %s failed unexpectedly", target.artifact(), target.entry());
        problem(rc, 500, "Internal Server Error", "call to " + target.artifact() + " entry " + target.entry()
                + " failed: " + cause);
    }

    /** 503 before anything is invoked, saying which slice, which governor state since when, and when to retry. */
    private void shed(RoutingContext rc, RouteTable.Target target, GovernorMirror.Status governor) {
        String artifact = target.artifact().toString();
        String state = governor.state().name().toLowerCase(Locale.ROOT);
        rejected.computeIfAbsent(artifact + "|" + state, k -> Counter.builder(REJECTED)
                .description("calls the router shed because the slice's governor refuses or is degraded")
                .tag("artifact", artifact).tag("state", state).register(meters)).increment();
        long retryAfter = node.runtimeSettings().refusingRetryAfter().toSeconds();
        String detail = "slice '" + artifact + "' sheds " + (governor.state() == GovernorState.REFUSING ? "all calls"
                : target.priority().wireName() + "-priority calls") + ": its governor has been " + state + " since "
                + governor.since() + " (" + governor.why() + "); retry after " + retryAfter + " s";
        rc.response().putHeader("Retry-After", Long.toString(retryAfter));
        ObjectNode body = problemBody(rc, 503, "Service Unavailable", detail);
        body.put("artifact", artifact);
        body.put("governor", state);
        body.put("since", governor.since().toString());
        body.put("priority", target.priority().wireName());
        send(rc, 503, body);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status < 500 ? "Client Error" : "Server Error";
        };
    }

    private Duration deadline(HttpServerRequest request) {
        Duration configured = node.runtimeSettings().callTimeout();
        String asked = request.getHeader(TIMEOUT_HEADER);
        if (asked == null) {
            return configured;
        }
        long ms = parseLong(asked);
        if (ms <= 0) {
            return null;
        }
        return Duration.ofMillis(Math.min(ms, configured.toMillis()));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String queryAsJson(MultiMap params) {
        ObjectNode object = JSON.createObjectNode();
        for (Map.Entry<String, String> e : params) {
            object.put(e.getKey(), e.getValue());
        }
        return object.toString();
    }

    /** The server span the OpenTelemetry extension opened for this request, else the caller's header. */
    private static String traceparent(HttpServerRequest request) {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
        }
        String header = request.getHeader("traceparent");
        return header == null ? "" : header;
    }

    private static void problem(RoutingContext rc, int status, String title, String detail) {
        send(rc, status, problemBody(rc, status, title, detail));
    }

    private static ObjectNode problemBody(RoutingContext rc, int status, String title, String detail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", rc.request().path());
        return body;
    }

    private static void send(RoutingContext rc, int status, ObjectNode body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(body.toString());
    }
}
