/**
 * What the two AI layers share (DESIGN §8): the versioned {@link io.aether.controller.ai.ContextSummary} a model
 * reads, the strict {@link io.aether.controller.ai.AnswerParser} for what it answers, and
 * {@link io.aether.controller.ai.ModelLayer}, the {@code Controller} around a LangChain4j {@code ChatModel} with a
 * timeout, a circuit breaker and an hourly token budget. L2 ({@code io.aether.controller.slm}) and L3
 * ({@code io.aether.controller.llm}) are instances of it with their own prompt and settings. See
 * {@code docs/controller-ai.md}.
 */
package io.aether.controller.ai;
