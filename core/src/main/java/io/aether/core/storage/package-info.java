/** Durable storage: the segmented write-ahead log with CRC32C records and group-commit fsync, and snapshots. Knows nothing above it. */
package io.aether.core.storage;
