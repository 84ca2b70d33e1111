package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The node answered with an error status; carries what its RFC 9457 problem said. */
final class ApiException extends RuntimeException {

    /** How much of a body that is not a problem document goes into the message. */
    private static final int MAX_RAW_DETAIL_CHARS = 300;

    /** One entry of a problem's {@code errors} array. */
    record FieldError(String field, String message) {
    }

    private final int status;
    private final List<FieldError> fieldErrors;

    private ApiException(int status, String detail, List<FieldError> fieldErrors) {
        super(detail);
        this.status = status;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** Reads a problem+json body; any other body becomes the detail as text. */
    static ApiException of(int status, byte[] body, ObjectMapper json) {
        JsonNode problem = parse(body, json);
        if (problem == null || !problem.isObject()) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (text.length() > MAX_RAW_DETAIL_CHARS) {
                text = text.substring(0, MAX_RAW_DETAIL_CHARS) + "...";
            }
            return new ApiException(status, text.isEmpty() ? "(no details in the response)" : text, List.of());
        }
        String detail = problem.path("detail").asText("");
        if (detail.isEmpty()) {
            detail = problem.path("title").asText("(no details in the response)");
        }
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            errors.add(new FieldError(error.path("field").asText(""), error.path("message").asText("")));
        }
        return new ApiException(status, detail, errors);
    }

    private static JsonNode parse(byte[] body, ObjectMapper json) {
        if (body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    int status() {
        return status;
    }

    int exitCode() {
        return Exit.forStatus(status);
    }

    /** One line for the problem, then each field error indented on its own line. */
    String render() {
        StringBuilder text = new StringBuilder("error ").append(status).append(": ").append(getMessage());
        for (FieldError error : fieldErrors) {
            text.append(System.lineSeparator()).append("  ");
            if (!error.field().isEmpty()) {
                text.append(error.field()).append(": ");
            }
            text.append(error.message());
        }
        return text.toString();
    }
}
