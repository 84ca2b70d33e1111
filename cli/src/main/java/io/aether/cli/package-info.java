/** The {@code aether} command: batch and REPL over the REST API. */
package io.aether.cli;
