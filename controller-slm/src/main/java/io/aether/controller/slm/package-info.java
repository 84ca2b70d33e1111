/** Layer 2 of the controller chain: a local small model behind a LangChain4j {@code ChatModel}. */
package io.aether.controller.slm;
