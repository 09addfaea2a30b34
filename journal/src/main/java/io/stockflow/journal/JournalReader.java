package io.stockflow.journal;

/**
 * Reads records in sequence order and checks every one of them. A reader is used by one thread at a
 * time. It starts before the first record; it can follow a live writer, returning {@code false} at
 * the current end and the next record once it has been appended.
 */
public interface JournalReader extends AutoCloseable
{
    /**
     * Positions the reader so that the next {@link #readNext} returns the record with this
     * sequence. Found through the queue's index: the first sequence of each cycle file (binary
     * search over cycles) plus index arithmetic inside the cycle, never by scanning from the start.
     *
     * @param sequence the sequence to land on, from 1
     * @return {@code false} if the sequence is beyond the last record (the position is unchanged)
     * @throws JournalCorruptionException if the record found there carries another sequence
     */
    boolean seekToSequence(long sequence);

    /**
     * Positions the reader at the first record whose event time is at or after the given time,
     * by binary search over sequences (event times are non-decreasing).
     *
     * @param eventTimeMs event time in epoch milliseconds
     * @return {@code false} if every record is older (the position is unchanged)
     */
    boolean seekToEventTime(long eventTimeMs);

    /**
     * Reads the next record into {@code into}, checking its length, record format version, flags,
     * sequence continuity and CRC32C.
     *
     * <p>It returns {@code false} only when no later record exists: if the journal holds records
     * beyond the last one read that cannot be reached (a damaged document header, a cycle file that
     * lost its end), it throws instead, and keeps throwing the same exception until a seek.
     *
     * @param into the holder to fill
     * @return {@code false} at the current end of the journal
     * @throws JournalCorruptionException naming file, byte offset and sequence of a bad record, or of
     *                                    the place where reading stopped before the last record
     */
    boolean readNext(JournalRecord into);

    /**
     * @return the sequence of the oldest record this reader can reach: 0 for a journal's parameters
     *         record, 1 for an older journal, later once early cycles were archived; -1 if empty
     */
    long firstSequence();

    /** @return the sequence of the last record currently in the journal, 0 if empty */
    long lastSequence();

    /** Releases the reader's resources; idempotent. */
    @Override
    void close();
}
