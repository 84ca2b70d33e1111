/** Layer 3 of the controller chain: a cloud model behind a LangChain4j {@code ChatModel}. */
package io.aether.controller.llm;
