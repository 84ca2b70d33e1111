package io.aether.bench;

import io.aether.bench.load.LoadMain;
import io.aether.core.net.HostAndPort;
import java.util.Arrays;
import java.util.List;

/** The Aether side of the KV benchmark: {@code AetherLoad HOST:PORT,... [LoadMain options]}. */
public final class AetherLoad {

    private AetherLoad() {
    }

    public static void main(String[] args) throws Exception {
        List<HostAndPort> servers = Arrays.stream(args[0].split(",")).map(HostAndPort::parse).toList();
        LoadMain.run("aether", c -> new AetherTarget(servers, c), Arrays.copyOfRange(args, 1, args.length));
    }
}
