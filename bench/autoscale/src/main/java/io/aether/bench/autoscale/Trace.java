package io.aether.bench.autoscale;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Offered load, one value of requests/s per second. On disk a CSV {@code t_seconds,requests_per_second}: one row per
 * second, consecutive seconds, an optional header line.
 */
public record Trace(String name, double[] requestsPerSecond) {

    /** No trace longer than a week of seconds: a bound on what a file can make the replay allocate. */
    static final int MAX_SECONDS = 7 * 24 * 3600;

    public Trace {
        if (requestsPerSecond.length == 0) {
            throw new IllegalArgumentException("trace '" + name + "' is empty");
        }
        requestsPerSecond = requestsPerSecond.clone();
    }

    public int seconds() {
        return requestsPerSecond.length;
    }

    public double at(int second) {
        return requestsPerSecond[second];
    }

    /** Reads a trace CSV; the trace is named after the file without {@code .csv}. */
    public static Trace read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        double[] values = new double[Math.min(lines.size(), MAX_SECONDS)];
        int count = 0;
        long expectedT = Long.MIN_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (i == 0 && cells.length == 2 && !looksNumeric(cells[0])) {
                continue;
            }
            if (cells.length != 2) {
                throw bad(file, lineNo, "expected 't_seconds,requests_per_second', got '" + line + "'");
            }
            long t;
            double rps;
            try {
                t = Long.parseLong(cells[0].strip());
            } catch (NumberFormatException e) {
                throw bad(file, lineNo, "t_seconds '" + cells[0].strip() + "' is not a whole number");
            }
            try {
                rps = Double.parseDouble(cells[1].strip());
            } catch (NumberFormatException e) {
                throw bad(file, lineNo, "requests_per_second '" + cells[1].strip() + "' is not a number");
            }
            if (!(rps >= 0) || Double.isInfinite(rps)) {
                throw bad(file, lineNo, "requests_per_second " + cells[1].strip() + " must be a finite number >= 0");
            }
            if (expectedT != Long.MIN_VALUE && t != expectedT) {
                throw bad(file, lineNo, "t_seconds " + t + " should be " + expectedT + " (one row per second)");
            }
            if (count == MAX_SECONDS) {
                throw bad(file, lineNo, "trace longer than " + MAX_SECONDS + " seconds");
            }
            values[count++] = rps;
            expectedT = t + 1;
        }
        if (count == 0) {
            throw new IllegalArgumentException(file + ": no rows");
        }
        String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
        return new Trace(name, java.util.Arrays.copyOf(values, count));
    }

    /** Writes the trace as a CSV with a header, t from 0. */
    public void write(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("t_seconds,requests_per_second\n");
            for (int t = 0; t < requestsPerSecond.length; t++) {
                out.write(t + "," + String.format(Locale.ROOT, "%.1f", requestsPerSecond[t]) + "\n");
            }
        }
    }

    private static boolean looksNumeric(String cell) {
        String s = cell.strip();
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '+');
    }

    private static IllegalArgumentException bad(Path file, int lineNo, String what) {
        return new IllegalArgumentException(file + ":" + lineNo + ": " + what);
    }
}
