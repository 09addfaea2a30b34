package io.stockflow.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The binary layout of one journal record: the only place that knows offsets and lengths.
 *
 * <p>Each record is the body of one Chronicle Queue document (Chronicle adds its own 4-byte length
 * header in front). All fields are little-endian.
 *
 * <pre>
 *   0                   2                   4                                   8
 *   +-------------------+-------------------+-----------------------------------+
 *   | format version u16| flags (0)     u16 | type                          i32 |
 *   +-------------------+-------------------+-----------------------------------+
 *   | sequence                                                              i64 |  8
 *   +---------------------------------------------------------------------------+
 *   | event time (epoch ms)                                                 i64 | 16
 *   +---------------------------------------+-----------------------------------+
 *   | schema version                    i32 | payload length                i32 | 24
 *   +---------------------------------------+-----------------------------------+
 *   | payload (payload length bytes)                                        ... | 32
 *   +---------------------------------------+-----------------------------------+
 *   | CRC32C of bytes [0, 32 + payload length)                              i32 |
 *   +---------------------------------------+
 * </pre>
 *
 * <p>The format version is the journal's own framing version; readers refuse any value other than
 * {@link #CURRENT_FORMAT_VERSION}. The schema version belongs to the payload and is passed through
 * untouched for the layer that decodes payloads.
 */
public final class RecordDescriptor
{
    /** Offset of the record format version (unsigned 16 bits). */
    public static final int FORMAT_VERSION_OFFSET = 0;
    /** Offset of the flags (16 bits, must be zero in format version 1). */
    public static final int FLAGS_OFFSET = 2;
    /** Offset of the record type (32 bits). */
    public static final int TYPE_OFFSET = 4;
    /** Offset of the engine sequence (64 bits, gap-free from 1). */
    public static final int SEQUENCE_OFFSET = 8;
    /** Offset of the event time in epoch milliseconds (64 bits). */
    public static final int EVENT_TIME_OFFSET = 16;
    /** Offset of the payload schema version (32 bits). */
    public static final int SCHEMA_VERSION_OFFSET = 24;
    /** Offset of the payload length in bytes (32 bits). */
    public static final int PAYLOAD_LENGTH_OFFSET = 28;
    /** Length of the fixed header; the payload starts here. */
    public static final int HEADER_LENGTH = 32;
    /** Length of the CRC32C trailer that follows the payload. */
    public static final int CRC_LENGTH = 4;
    /** The only record format version this code writes and reads. */
    public static final int CURRENT_FORMAT_VERSION = 1;
    /**
     * Largest payload accepted, 1 MiB: far above any command, and small enough that a record always
     * fits in one Chronicle document and that crash recovery's scan of a torn tail stays bounded.
     */
    public static final int MAX_PAYLOAD_LENGTH = 1 << 20;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RecordDescriptor()
    {
    }

    /**
     * @param payloadLength payload length in bytes
     * @return length of the whole record: header, payload and CRC
     */
    public static int recordLength(int payloadLength)
    {
        return HEADER_LENGTH + payloadLength + CRC_LENGTH;
    }

    /** @return the longest record this format allows */
    public static int maxRecordLength()
    {
        return recordLength(MAX_PAYLOAD_LENGTH);
    }

    /**
     * Fills a header buffer with every header field.
     *
     * @param header        at least {@link #HEADER_LENGTH} bytes
     * @param sequence      engine sequence
     * @param eventTimeMs   event time in epoch milliseconds
     * @param type          record type
     * @param schemaVersion payload schema version
     * @param payloadLength payload length in bytes
     */
    public static void encodeHeader(byte[] header, long sequence, long eventTimeMs, int type, int schemaVersion,
        int payloadLength)
    {
        SHORT.set(header, FORMAT_VERSION_OFFSET, (short)CURRENT_FORMAT_VERSION);
        SHORT.set(header, FLAGS_OFFSET, (short)0);
        INT.set(header, TYPE_OFFSET, type);
        LONG.set(header, SEQUENCE_OFFSET, sequence);
        LONG.set(header, EVENT_TIME_OFFSET, eventTimeMs);
        INT.set(header, SCHEMA_VERSION_OFFSET, schemaVersion);
        INT.set(header, PAYLOAD_LENGTH_OFFSET, payloadLength);
    }

    /**
     * Computes the record checksum over the header and the payload.
     *
     * @param crc     a reusable checksum, reset by this method
     * @param header  the encoded header
     * @param payload payload bytes
     * @param offset  first payload byte
     * @param length  payload length
     * @return the CRC32C as an int
     */
    public static int checksum(CRC32C crc, byte[] header, byte[] payload, int offset, int length)
    {
        crc.reset();
        crc.update(header, 0, HEADER_LENGTH);
        crc.update(payload, offset, length);
        return (int)crc.getValue();
    }

    /** @param header encoded header @return the record format version */
    public static int formatVersion(byte[] header)
    {
        return Short.toUnsignedInt((short)SHORT.get(header, FORMAT_VERSION_OFFSET));
    }

    /** @param header encoded header @return the flags */
    public static int flags(byte[] header)
    {
        return Short.toUnsignedInt((short)SHORT.get(header, FLAGS_OFFSET));
    }

    /** @param header encoded header @return the record type */
    public static int type(byte[] header)
    {
        return (int)INT.get(header, TYPE_OFFSET);
    }

    /** @param header encoded header @return the engine sequence */
    public static long sequence(byte[] header)
    {
        return (long)LONG.get(header, SEQUENCE_OFFSET);
    }

    /** @param header encoded header @return the event time in epoch milliseconds */
    public static long eventTime(byte[] header)
    {
        return (long)LONG.get(header, EVENT_TIME_OFFSET);
    }

    /** @param header encoded header @return the payload schema version */
    public static int schemaVersion(byte[] header)
    {
        return (int)INT.get(header, SCHEMA_VERSION_OFFSET);
    }

    /** @param header encoded header @return the payload length */
    public static int payloadLength(byte[] header)
    {
        return (int)INT.get(header, PAYLOAD_LENGTH_OFFSET);
    }

    /**
     * @param trailer at least {@link #CRC_LENGTH} bytes
     * @param crc     the checksum to store
     */
    public static void encodeCrc(byte[] trailer, int crc)
    {
        INT.set(trailer, 0, crc);
    }

    /**
     * @param record a record's bytes
     * @param offset where its trailer starts: {@link #HEADER_LENGTH} plus the payload's length
     * @return the stored checksum
     */
    public static int crcAt(byte[] record, int offset)
    {
        return (int)INT.get(record, offset);
    }
}
