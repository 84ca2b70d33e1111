package io.aether.node;

import io.aether.node.config.InvalidConfigException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of {@code aether-node}. A configuration error stops the node with exit code 78
 * (EX_CONFIG) and one line naming the key, instead of a stack trace to dig through; an HTTP port
 * already in use counts as one.
 */
@QuarkusMain
public class AetherNodeMain implements QuarkusApplication {

    /** Exit code for a configuration error, as in sysexits.h. */
    static final int EXIT_CONFIG = 78;

    public static void main(String... args) {
        Quarkus.run(AetherNodeMain.class, AetherNodeMain::exit, args);
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static void exit(int code, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigException invalid) {
                System.err.println("aether-node: invalid configuration: " + invalid.getMessage());
                System.exit(EXIT_CONFIG);
            }
            if (t instanceof QuarkusBindException bind) {
                System.err.println("aether-node: invalid configuration: quarkus.http.port: port " + bind.getPort()
                        + " on " + bind.getHost() + " is already in use");
                System.exit(EXIT_CONFIG);
            }
        }
        if (failure != null) {
            // With a custom exit handler Quarkus leaves reporting the start-up failure to us.
            System.err.println("aether-node: failed to start: " + rootMessage(failure));
            failure.printStackTrace();
            System.exit(code == 0 ? 1 : code);
        }
        System.exit(code);
    }
}
