package io.aether.controller.ai;

import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.List;

/**
 * {@link ModelAnswer} as a LangChain4j JSON schema, for providers that constrain their output to one (Ollama's
 * {@code format}, OpenAI's structured outputs). {@code slice} is an enum of the slices the summary shows, so a
 * constrained model cannot even spell another one. The {@link AnswerParser} still checks everything: a server may
 * ignore the schema, and bounds such as 1..10,000 are not expressible in every provider's subset.
 */
final class AnswerSchema {

    private AnswerSchema() {
    }

    static JsonSchema of(List<String> slices) {
        JsonObjectSchema action = JsonObjectSchema.builder()
                .addProperty("slice", JsonEnumSchema.builder().enumValues(slices)
                        .description("versioned artifact exactly as in the summary").build())
                .addProperty("targetInstances", JsonIntegerSchema.builder()
                        .description("instances wanted, 1.." + AnswerParser.MAX_TARGET_INSTANCES
                                + ", within the slice's min..max").build())
                .addProperty("reason", JsonStringSchema.builder()
                        .description("why, with the numbers, at most " + AnswerParser.MAX_REASON_CHARS
                                + " characters").build())
                .required(AnswerParser.ACTION_FIELDS)
                .additionalProperties(false)
                .build();
        JsonObjectSchema answer = JsonObjectSchema.builder()
                .addProperty("actions", JsonArraySchema.builder().items(action)
                        .description("at most one per slice; empty to change nothing").build())
                .addProperty("confidence", JsonNumberSchema.builder().description("0..1").build())
                .addProperty("escalate", JsonBooleanSchema.builder()
                        .description("true to ask the next layer up to look").build())
                .addProperty("reasoning", JsonStringSchema.builder()
                        .description("at most " + AnswerParser.MAX_REASONING_CHARS + " characters").build())
                .required(AnswerParser.ANSWER_FIELDS)
                .additionalProperties(false)
                .build();
        return JsonSchema.builder().name("ModelAnswer").rootElement(answer).build();
    }
}
