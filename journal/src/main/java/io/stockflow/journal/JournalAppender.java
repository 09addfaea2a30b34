package io.stockflow.journal;

/**
 * Appends records to a journal. There is one appender per open journal, and it belongs to the first
 * thread that appends (in the engine, the journal stage's thread); any other thread calling
 * {@link #append} or {@link #commit} gets an {@link IllegalStateException}.
 *
 * <p>Appending allocates nothing once warm, logs nothing and takes no locks shared with other
 * threads except Chronicle's own (uncontended) write lock.
 */
public interface JournalAppender
{
    /**
     * Writes one record and assigns it the next engine sequence: gap-free from 1, continuing after
     * crash recovery at the last good sequence + 1.
     *
     * <p>The record is visible to readers when this returns; whether it is durable depends on
     * {@link #commit()} and the {@link Durability}. Checks happen before anything is written: when
     * free disk space is below the configured threshold the call throws
     * {@link JournalDiskFullException} and the journal is unchanged. If writing itself fails
     * (an I/O error of the mapping), the partly written document is rolled back, the appender
     * becomes unusable and every later call throws {@link JournalException} (fail-stop).
     *
     * @param eventTimeMs event time in epoch milliseconds, non-decreasing across appends so that
     *                    {@link JournalReader#seekToEventTime(long)} can binary-search
     * @param type        record type, opaque to the journal
     * @param version     payload schema version, opaque to the journal
     * @param payload     payload bytes
     * @param offset      first payload byte
     * @param length      payload length, at most {@link RecordDescriptor#MAX_PAYLOAD_LENGTH}
     * @return the sequence assigned to the record
     */
    long append(long eventTimeMs, int type, int version, byte[] payload, int offset, int length);

    /**
     * Ends a batch (the Disruptor's {@code endOfBatch}): makes every record appended so far durable
     * at the configured level and advances {@link #committedSequence()}. For
     * {@link Durability#OS_CRASH} it forces the current cycle file to the device
     * ({@code fdatasync}) and throws a {@link JournalException} if that fails; for {@link Durability#PROCESS_CRASH} it only publishes the sequence.
     */
    void commit();

    /**
     * @return the highest sequence that is durable at the configured level; safe to read from any
     *         thread
     */
    long committedSequence();

    /**
     * Writes the journal's header record: a record that takes no sequence (its sequence field is 0),
     * allowed only as the first record of an empty journal, such as the rule parameters an engine
     * records when it creates a directory. Readers return it first, with sequence 0, and the next
     * {@link #append} still gets sequence 1.
     *
     * @param eventTimeMs event time in epoch milliseconds (0 for a record that has none)
     * @param type        record type, opaque to the journal
     * @param version     payload schema version, opaque to the journal
     * @param payload     payload bytes
     * @param offset      first payload byte
     * @param length      payload length, at most {@link RecordDescriptor#MAX_PAYLOAD_LENGTH}
     * @throws IllegalStateException if the journal already holds a record
     */
    void appendHeaderRecord(long eventTimeMs, int type, int version, byte[] payload, int offset, int length);
}
