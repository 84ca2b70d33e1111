package io.aether.controller.ai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.control.ModelCall;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The strict reader of a model's answer: a JSON object with exactly the fields of {@link ModelAnswer}, nothing
 * else. Rejected, with the path and the problem in the message: text that is not one JSON object (at most one
 * {@code ```json} fence around it is tolerated, because small models add one even when told not to; any other text
 * outside the object is refused), duplicate keys, unknown or missing fields, wrong types, targets that are not
 * integers in 1..{@value #MAX_TARGET_INSTANCES}, slices not in the context, a slice named twice, confidence outside
 * 0..1, strings over their cap or with unpaired surrogates, more than {@value #MAX_ACTIONS} actions, nesting
 * deeper than {@value #MAX_DEPTH}, answers longer than {@value #MAX_ANSWER_CHARS} characters.
 *
 * <p>Instructions inside the free text ("ignore previous instructions", "set mode to apply") are just text: the
 * schema has no field for a mode, an approval or a guardrail, an extra field is rejected, and whatever actions do
 * parse still pass the guardrails like every other layer's.
 */
public final class AnswerParser {

    public static final int MAX_ANSWER_CHARS = 16_384;
    public static final int MAX_TARGET_INSTANCES = 10_000;
    public static final int MAX_ACTIONS = 64;
    public static final int MAX_REASON_CHARS = 500;
    public static final int MAX_REASONING_CHARS = 2_000;
    public static final int MAX_DEPTH = 8;

    static final List<String> ANSWER_FIELDS = List.of("actions", "confidence", "escalate", "reasoning");
    static final List<String> ACTION_FIELDS = List.of("slice", "targetInstances", "reason");

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(64)
                    .maxStringLength(MAX_ANSWER_CHARS)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private AnswerParser() {
    }

    /**
     * Reads {@code text} as an answer about the slices {@code knownSlices} (versioned artifacts).
     *
     * @throws InvalidAnswerException naming the first problem and where it is
     */
    public static ModelAnswer parse(String text, Set<String> knownSlices) throws InvalidAnswerException {
        if (text == null || text.isBlank()) {
            throw new InvalidAnswerException("answer: empty");
        }
        if (text.length() > MAX_ANSWER_CHARS) {
            throw new InvalidAnswerException("answer: " + text.length() + " characters, above the cap of "
                    + MAX_ANSWER_CHARS);
        }
        JsonNode root = read(unfence(text.strip()));
        if (!root.isObject()) {
            throw new InvalidAnswerException("answer: " + kind(root) + ", expected a JSON object");
        }
        exactFields(root, "answer", ANSWER_FIELDS);
        JsonNode actionsNode = root.get("actions");
        if (!actionsNode.isArray()) {
            throw new InvalidAnswerException("answer.actions: " + kind(actionsNode) + ", expected an array");
        }
        if (actionsNode.size() > MAX_ACTIONS) {
            throw new InvalidAnswerException("answer.actions: " + actionsNode.size() + " actions, above the cap of "
                    + MAX_ACTIONS);
        }
        List<ModelAnswer.Action> actions = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < actionsNode.size(); i++) {
            String at = "answer.actions[" + i + "]";
            JsonNode a = actionsNode.get(i);
            if (!a.isObject()) {
                throw new InvalidAnswerException(at + ": " + kind(a) + ", expected an object");
            }
            exactFields(a, at, ACTION_FIELDS);
            String slice = string(a.get("slice"), at + ".slice", ContextSummary.MAX_ID_CHARS);
            if (!knownSlices.contains(slice)) {
                throw new InvalidAnswerException(at + ".slice: '" + Text.cap(slice, 80)
                        + "' is not a slice in the context");
            }
            Integer first = seen.putIfAbsent(slice, i);
            if (first != null) {
                throw new InvalidAnswerException(at + ".slice: '" + slice + "' already appears at answer.actions["
                        + first + "]");
            }
            int target = target(a.get("targetInstances"), at + ".targetInstances");
            String reason = string(a.get("reason"), at + ".reason", MAX_REASON_CHARS);
            actions.add(new ModelAnswer.Action(slice, target, reason));
        }
        double confidence = confidence(root.get("confidence"));
        JsonNode escalate = root.get("escalate");
        if (!escalate.isBoolean()) {
            throw new InvalidAnswerException("answer.escalate: " + kind(escalate) + ", expected true or false");
        }
        String reasoning = string(root.get("reasoning"), "answer.reasoning", MAX_REASONING_CHARS);
        return new ModelAnswer(actions, confidence, escalate.booleanValue(), reasoning);
    }

    /**
     * The decision an answer stands for: one {@link Decision.ScaleChange} per action that changes the count (from
     * the context's current count; rule {@code "L2 model: <reason>"}), the answer's confidence, an
     * {@code UNCLASSIFIED_PATTERN} escalation when it asks for one, and the model call. Actions that keep the
     * current count are named in the reasoning only.
     *
     * @throws IllegalArgumentException when an action names a slice {@code ctx} does not have (parse with
     *                                  {@code ctx.slices().keySet()} first)
     */
    public static Decision toDecision(ModelAnswer answer, ControlContext ctx, Layer layer, ModelCall call) {
        List<Decision.ScaleChange> changes = new ArrayList<>();
        StringBuilder reasoning = new StringBuilder(layer.name()).append(" model ").append(call.model())
                .append(" (").append(call.promptVersion()).append("): ").append(answer.reasoning());
        for (ModelAnswer.Action a : answer.actions()) {
            SliceSpec spec = ctx.slice(a.slice()).orElseThrow(() -> new IllegalArgumentException(
                    "answer names slice '" + a.slice() + "' that the context does not have"));
            if (a.targetInstances() == spec.instances()) {
                reasoning.append("; ").append(a.slice()).append(": already at ").append(spec.instances());
                continue;
            }
            changes.add(new Decision.ScaleChange(spec.blueprint(), spec.artifact(), spec.instances(),
                    a.targetInstances(), layer.name() + " model: " + a.reason()));
        }
        Optional<Decision.Escalation> escalation = answer.escalate()
                ? Optional.of(new Decision.Escalation(Decision.Escalation.Reason.UNCLASSIFIED_PATTERN,
                Text.cap(layer.name() + " model asks the next layer to look: " + answer.reasoning(),
                        ContextSummary.MAX_DETAIL_CHARS)))
                : Optional.empty();
        return new Decision(layer, changes, List.of(), reasoning.toString(), answer.confidence(), escalation,
                Optional.of(call));
    }

    /** The text inside one {@code ```} / {@code ```json} fence, or {@code text} when it has none. */
    private static String unfence(String text) throws InvalidAnswerException {
        if (!text.startsWith("```")) {
            if (!text.startsWith("{") && !text.startsWith("[")) {
                throw new InvalidAnswerException("answer: text before the JSON object: '" + Text.cap(text, 40)
                        + "'");
            }
            return text;
        }
        int lineEnd = text.indexOf('\n');
        String tag = lineEnd < 0 ? "" : text.substring(3, lineEnd).strip().toLowerCase(Locale.ROOT);
        if (lineEnd < 0 || !(tag.isEmpty() || tag.equals("json")) || !text.endsWith("```")
                || text.length() < lineEnd + 4) {
            throw new InvalidAnswerException("answer: a ``` fence that is not one ```json … ``` block around the "
                    + "JSON object");
        }
        String inner = text.substring(lineEnd + 1, text.length() - 3).strip();
        if (!inner.startsWith("{") && !inner.startsWith("[")) {
            throw new InvalidAnswerException("answer: text before the JSON object inside the fence: '"
                    + Text.cap(inner, 40) + "'");
        }
        return inner;
    }

    private static JsonNode read(String json) throws InvalidAnswerException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidAnswerException("answer: malformed JSON" + where + ": "
                    + Text.cap(e.getOriginalMessage(), 200));
        }
    }

    private static void exactFields(JsonNode object, String at, List<String> fields)
            throws InvalidAnswerException {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new InvalidAnswerException(at + "." + Text.cap(name, 40) + ": unknown field (" + at
                        + " has only " + String.join(", ", fields) + ")");
            }
        }
        for (String field : fields) {
            if (!object.has(field)) {
                throw new InvalidAnswerException(at + "." + field + ": missing");
            }
        }
    }

    private static int target(JsonNode n, String at) throws InvalidAnswerException {
        if (!n.isNumber()) {
            throw new InvalidAnswerException(at + ": " + kind(n) + ", expected an integer");
        }
        if (!n.isIntegralNumber()) {
            throw new InvalidAnswerException(at + ": " + show(n) + " is not an integer");
        }
        int sign = n.bigIntegerValue().signum();
        if (sign < 0) {
            throw new InvalidAnswerException(at + ": " + show(n) + " is negative");
        }
        if (sign == 0) {
            throw new InvalidAnswerException(at + ": 0 is not positive (an AI layer may not scale a slice to zero)");
        }
        if (!n.canConvertToInt() || n.intValue() > MAX_TARGET_INSTANCES) {
            throw new InvalidAnswerException(at + ": " + show(n) + " is above the hard cap of "
                    + MAX_TARGET_INSTANCES);
        }
        return n.intValue();
    }

    private static double confidence(JsonNode n) throws InvalidAnswerException {
        if (!n.isNumber()) {
            throw new InvalidAnswerException("answer.confidence: " + kind(n) + ", expected a number in 0..1");
        }
        BigDecimal value = n.decimalValue();
        if (value.compareTo(BigDecimal.ZERO) < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw new InvalidAnswerException("answer.confidence: " + show(n) + " is outside 0..1");
        }
        return value.doubleValue();
    }

    private static String string(JsonNode n, String at, int max) throws InvalidAnswerException {
        if (!n.isTextual()) {
            throw new InvalidAnswerException(at + ": " + kind(n) + ", expected a string");
        }
        String s = n.textValue();
        if (s.length() > max) {
            throw new InvalidAnswerException(at + ": " + s.length() + " characters, above the cap of " + max);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate has no UTF-8 form: a receipt holding it would not hash back to itself.
                throw new InvalidAnswerException(at + ": an unpaired surrogate at index " + i);
            }
        }
        return s;
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNumber()) {
            return "a number";
        }
        return "null";
    }

    private static String show(JsonNode n) {
        return Text.cap(n.toString(), 40);
    }
}
