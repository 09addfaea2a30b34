package io.stockflow.journal;

import java.io.File;
import java.util.Arrays;

/**
 * A reusable holder for one record read by a {@link JournalReader}. Owned by the reader's thread;
 * {@link #payload()} is a buffer that is reused and grown as needed, so only the first
 * {@link #payloadLength()} bytes belong to the current record.
 */
public final class JournalRecord
{
    private long sequence;
    private long eventTime;
    private int type;
    private int version;
    private int payloadLength;
    private byte[] payload;
    private File file;
    private long position = -1;
    private long chronicleIndex = -1;

    /** Creates a holder with a 256-byte payload buffer. */
    public JournalRecord()
    {
        this(256);
    }

    /** @param initialPayloadCapacity initial payload buffer size in bytes */
    public JournalRecord(int initialPayloadCapacity)
    {
        this.payload = new byte[initialPayloadCapacity];
    }

    /** @return the engine sequence */
    public long sequence()
    {
        return sequence;
    }

    /** @return the event time in epoch milliseconds */
    public long eventTime()
    {
        return eventTime;
    }

    /** @return the record type */
    public int type()
    {
        return type;
    }

    /** @return the payload schema version */
    public int version()
    {
        return version;
    }

    /** @return number of valid bytes at the start of {@link #payload()} */
    public int payloadLength()
    {
        return payloadLength;
    }

    /** @return the reused payload buffer; only the first {@link #payloadLength()} bytes are valid */
    public byte[] payload()
    {
        return payload;
    }

    /** @return a fresh copy of the payload bytes (allocates; for tests and tools) */
    public byte[] payloadCopy()
    {
        return Arrays.copyOf(payload, payloadLength);
    }

    /** @return the journal file the record was read from */
    public File file()
    {
        return file;
    }

    /** @return byte offset of the record's first byte in {@link #file()} */
    public long position()
    {
        return position;
    }

    /** @return the Chronicle Queue index of the record's document */
    public long chronicleIndex()
    {
        return chronicleIndex;
    }

    byte[] payloadBuffer(int length)
    {
        if (payload.length < length)
        {
            payload = new byte[Math.max(length, payload.length * 2)];
        }
        return payload;
    }

    void set(long sequence, long eventTime, int type, int version, int payloadLength,
        File file, long position, long chronicleIndex)
    {
        this.sequence = sequence;
        this.eventTime = eventTime;
        this.type = type;
        this.version = version;
        this.payloadLength = payloadLength;
        this.file = file;
        this.position = position;
        this.chronicleIndex = chronicleIndex;
    }

    @Override
    public String toString()
    {
        return "JournalRecord{sequence=" + sequence + ", eventTime=" + eventTime + ", type=" + type
            + ", version=" + version + ", payloadLength=" + payloadLength + ", file=" + file
            + ", position=" + position + '}';
    }
}
