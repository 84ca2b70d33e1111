package io.aether.core.storage;

/** Receives records in index order from {@link WriteAheadLog#replay}. */
@FunctionalInterface
public interface RecordConsumer {

    /**
     * @param index   the record's index
     * @param payload the record's bytes, a fresh array the consumer may keep
     */
    void accept(long index, byte[] payload);
}
