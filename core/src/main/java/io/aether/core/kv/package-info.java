/** The replicated key-value state machine (revisions, txn, watch) built on {@code consensus} and {@code storage}. */
package io.aether.core.kv;
