package io.aether.core.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Shared helpers for the storage tests: small options, payloads, reading everything back. */
final class WalFixtures {

    /** Segments of 1 KiB hold a handful of small records, so tests roll over often. */
    static final WalOptions SMALL = new WalOptions(1024, 512, WalOptions.MIN_WRITE_BUFFER_BYTES);

    private WalFixtures() {}

    static byte[] payload(long index, int bytes) {
        byte[] prefix = ("record-" + index + "-").getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            payload[i] = prefix[i % prefix.length];
        }
        return payload;
    }

    record Entry(long index, byte[] payload) {}

    static List<Entry> readAll(WriteAheadLog wal) throws IOException {
        List<Entry> entries = new ArrayList<>();
        wal.replay(wal.firstIndex(), (index, payload) -> entries.add(new Entry(index, payload)));
        return entries;
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".wal"))
                    .sorted(Comparator.comparing(Path::getFileName))
                    .toList();
        }
    }

    static Path lastSegment(Path dir) throws IOException {
        List<Path> segments = segmentFiles(dir);
        return segments.get(segments.size() - 1);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
