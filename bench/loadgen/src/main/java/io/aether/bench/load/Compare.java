package io.aether.bench.load;

import java.nio.file.Path;
import java.util.List;

/** Prints the markdown table of ours vs the peer from two {@link LoadMain} result files: {@code OURS PEER}. */
public final class Compare {

    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        List<String[]> ours = LoadMain.read(Path.of(args[0]));
        List<String[]> peer = LoadMain.read(Path.of(args[1]));
        String us = ours.get(0)[0];
        String them = peer.get(0)[0];
        System.out.printf("| phase | clients | metric | %s | %s | %s/%s |%n", us, them, us, them);
        System.out.println("|---|---|---|---|---|---|");
        for (String[] o : ours) {
            for (String[] p : peer) {
                if (!o[1].equals(p[1]) || !o[2].equals(p[2])) {
                    continue;
                }
                row(o, p, "ops/s", 3);
                row(o, p, "p50 ms", 4);
                row(o, p, "p99 ms", 5);
                row(o, p, "p99.9 ms", 6);
                if (o[1].equals("kill")) {
                    row(o, p, "longest gap ms", 7);
                }
            }
        }
    }

    private static void row(String[] o, String[] p, String metric, int column) {
        double ours = Double.parseDouble(o[column]);
        double theirs = Double.parseDouble(p[column]);
        System.out.printf("| %s | %s | %s | %.2f | %.2f | %.2f |%n", o[1], o[2], metric, ours, theirs,
                theirs == 0 ? Double.NaN : ours / theirs);
    }
}
