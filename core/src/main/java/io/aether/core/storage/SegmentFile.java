package io.aether.core.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A segment file of the log: {@code NNNNNNNNNNNNNNNNNNNN.wal}, named by the index of its first record. */
record SegmentFile(Path path, long firstIndex) {

    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.wal");

    static SegmentFile in(Path dir, long firstIndex) {
        return new SegmentFile(dir.resolve(String.format("%020d.wal", firstIndex)), firstIndex);
    }

    /** The segments of {@code dir} ordered by first index; files with other names are not the log's. */
    static List<SegmentFile> list(Path dir) throws IOException {
        List<SegmentFile> segments = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.wal")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (!name.matches()) {
                    throw new IOException("wal directory " + dir + ": unexpected file " + entry.getFileName()
                            + " (segments are named by a 20-digit index, e.g. 00000000000000000000.wal);"
                            + " move it out of the directory");
                }
                segments.add(new SegmentFile(entry, parseIndex(entry, name.group(1))));
            }
        }
        segments.sort(Comparator.comparingLong(SegmentFile::firstIndex));
        return segments;
    }

    private static long parseIndex(Path entry, String digits) throws IOException {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IOException("wal segment " + entry + ": index in the name does not fit a signed 64-bit number", e);
        }
    }
}
