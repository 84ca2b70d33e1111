package io.aether.core.storage;

import java.io.IOException;
import java.util.zip.CRC32C;

/** What lies at one offset of a segment, judged by the record format alone. */
sealed interface RecordProbe {

    /** A complete record whose header and payload checksums match. */
    record Valid(RecordHeader header) implements RecordProbe {}

    /** The offset is exactly the end of the file. */
    record End() implements RecordProbe {}

    /**
     * No valid record starts here. {@code certainlyCorrupt} is set when the header checksum matched but the
     * header cannot be right, which a torn write does not produce.
     */
    record Invalid(String reason, boolean certainlyCorrupt) implements RecordProbe {}

    static RecordProbe at(PositionalReader reader, long offset, int maxRecordBytes, byte[] scratch, CRC32C crc)
            throws IOException {
        long remaining = reader.size() - offset;
        if (remaining == 0) {
            return new End();
        }
        if (remaining < RecordHeader.BYTES) {
            return new Invalid("incomplete record header, " + remaining + " of " + RecordHeader.BYTES + " bytes", false);
        }
        reader.read(offset, scratch, 0, RecordHeader.BYTES);
        RecordHeader header = RecordHeader.parseOrNull(scratch, 0, crc);
        if (header == null) {
            return new Invalid("record header crc mismatch", false);
        }
        long payloadBytes = Integer.toUnsignedLong(header.payloadBytes());
        if (payloadBytes > maxRecordBytes) {
            return new Invalid("record length " + payloadBytes + " exceeds maxRecordBytes " + maxRecordBytes
                    + " (if the log was written with a larger maxRecordBytes, reopen it with that value)", true);
        }
        if (remaining < header.recordBytes()) {
            return new Invalid("incomplete record payload, " + (remaining - RecordHeader.BYTES) + " of "
                    + payloadBytes + " bytes", false);
        }
        crc.reset();
        reader.updateCrc(crc, offset + RecordHeader.BYTES, payloadBytes);
        if ((int) crc.getValue() != header.payloadCrc()) {
            return new Invalid("record payload crc mismatch", false);
        }
        return new Valid(header);
    }

    /**
     * The offset of the first valid record starting after {@code from}, or -1. Tries every byte offset, since a
     * damaged record's length cannot be trusted to find the next one; the header checksum keeps each try cheap.
     */
    static long findValidAfter(PositionalReader reader, long from, int maxRecordBytes, byte[] scratch, CRC32C crc)
            throws IOException {
        for (long offset = from + 1; offset + RecordHeader.BYTES <= reader.size(); offset++) {
            if (at(reader, offset, maxRecordBytes, scratch, crc) instanceof Valid) {
                return offset;
            }
        }
        return -1;
    }
}
