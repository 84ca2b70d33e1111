/** The Aether node: a Quarkus application that wires {@code core} to REST, health, metrics and traces. */
package io.aether.node;
