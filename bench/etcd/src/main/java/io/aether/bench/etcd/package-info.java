/** The etcd peer of the KV benchmark, driven through jetcd by the shared load generator. */
package io.aether.bench.etcd;
