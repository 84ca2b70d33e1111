package io.aether.bench.etcd;

import io.aether.bench.load.LoadMain;
import java.util.Arrays;
import java.util.List;

/** The etcd side of the KV benchmark: {@code EtcdLoad ENDPOINTS [LoadMain options]}. */
public final class EtcdLoad {

    private EtcdLoad() {
    }

    public static void main(String[] args) throws Exception {
        List<String> endpoints = List.of(args[0].split(","));
        LoadMain.run("etcd", c -> new EtcdTarget(endpoints, c), Arrays.copyOfRange(args, 1, args.length));
    }
}
