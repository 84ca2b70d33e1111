package io.aether.core.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures group commit: fsyncs/s and records/s for 256-byte records with 1, 10 and 100 records per sync.
 * Prints numbers, asserts nothing; run it by hand on the disk you care about (see docs/storage.md):
 * {@code java -cp core/target/classes:core/target/test-classes io.aether.core.storage.GroupCommitMeasurement [dir] [seconds]}
 */
final class GroupCommitMeasurement {

    private static final int RECORD_BYTES = 256;
    private static final int[] RECORDS_PER_SYNC = {1, 10, 100};

    private GroupCommitMeasurement() {}

    public static void main(String[] args) throws IOException {
        Path parent = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        System.out.printf("group commit on %s, %d-byte records, %.1f s per run%n", parent, RECORD_BYTES, seconds);
        for (int recordsPerSync : RECORDS_PER_SYNC) {
            Path dir = Files.createTempDirectory(parent, "group-commit-");
            try {
                Result result = run(dir, recordsPerSync, (long) (seconds * 1e9));
                System.out.printf("%4d records/sync: %8.0f fsyncs/s %10.0f records/s %8.1f MiB/s%n", recordsPerSync,
                        result.syncsPerSecond(), result.recordsPerSecond(),
                        result.recordsPerSecond() * RECORD_BYTES / (1 << 20));
            } finally {
                WalFixtures.deleteRecursively(dir);
            }
        }
    }

    record Result(double syncsPerSecond, double recordsPerSecond) {}

    static Result run(Path dir, int recordsPerSync, long durationNanos) throws IOException {
        byte[] record = WalFixtures.payload(0, RECORD_BYTES);
        long syncs = 0;
        long started = System.nanoTime();
        long elapsed;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            do {
                for (int i = 0; i < recordsPerSync; i++) {
                    wal.append(record);
                }
                wal.sync();
                syncs++;
                elapsed = System.nanoTime() - started;
            } while (elapsed < durationNanos);
        }
        double seconds = elapsed / 1e9;
        return new Result(syncs / seconds, syncs * recordsPerSync / seconds);
    }
}
