package io.stockflow.journal.testing;

import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalRecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deterministic records derived from the sequence alone, so a test (or a parent of a killed child
 * JVM) can check every byte of what it reads back without keeping a copy.
 */
public final class TestRecords
{
    /** Event time of sequence 1; later sequences add one millisecond each. */
    public static final long BASE_EVENT_TIME = 1_700_000_000_000L;

    private TestRecords()
    {
    }

    /** @param sequence the record's sequence @return its payload */
    public static byte[] payloadFor(long sequence)
    {
        byte[] payload = new byte[16 + (int)(sequence % 48)];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(sequence * 31 + i * 7);
        }
        return payload;
    }

    /** @param sequence the record's sequence @return its type */
    public static int typeFor(long sequence)
    {
        return (int)(sequence % 7);
    }

    /** @param sequence the record's sequence @return its schema version */
    public static int versionFor(long sequence)
    {
        return 1 + (int)(sequence % 3);
    }

    /** @param sequence the record's sequence @return its event time */
    public static long eventTimeFor(long sequence)
    {
        return BASE_EVENT_TIME + sequence;
    }

    /**
     * Appends the record for the next sequence.
     *
     * @param appender    the appender
     * @param nextSequence the sequence the journal will assign
     * @return the assigned sequence
     */
    public static long appendFor(JournalAppender appender, long nextSequence)
    {
        byte[] payload = payloadFor(nextSequence);
        return appender.append(eventTimeFor(nextSequence), typeFor(nextSequence), versionFor(nextSequence),
            payload, 0, payload.length);
    }

    /**
     * Asserts a record read back is exactly the one derived from its expected sequence.
     *
     * @param expectedSequence the sequence it must have
     * @param record           the record read
     */
    public static void assertRecord(long expectedSequence, JournalRecord record)
    {
        assertEquals(expectedSequence, record.sequence(), "sequence");
        assertEquals(eventTimeFor(expectedSequence), record.eventTime(), "event time of " + expectedSequence);
        assertEquals(typeFor(expectedSequence), record.type(), "type of " + expectedSequence);
        assertEquals(versionFor(expectedSequence), record.version(), "version of " + expectedSequence);
        assertArrayEquals(payloadFor(expectedSequence), record.payloadCopy(), "payload of " + expectedSequence);
    }
}
