package io.stockflow.journal;

import net.openhft.chronicle.bytes.Bytes;

import java.io.File;
import java.util.zip.CRC32C;

import static io.stockflow.journal.RecordDescriptor.CRC_LENGTH;
import static io.stockflow.journal.RecordDescriptor.CURRENT_FORMAT_VERSION;
import static io.stockflow.journal.RecordDescriptor.HEADER_LENGTH;
import static io.stockflow.journal.RecordDescriptor.MAX_PAYLOAD_LENGTH;

/**
 * Decodes and checks one record from the body of a Chronicle document, per
 * {@link RecordDescriptor}. Owned by one reading thread; reuses its buffers, allocates only to grow
 * them (the longest record read so far) or to throw.
 */
final class RecordDecoder
{
    /** The longest document that can hold a valid record. */
    private static final int MAX_RECORD_LENGTH = RecordDescriptor.recordLength(MAX_PAYLOAD_LENGTH);

    private final byte[] header = new byte[HEADER_LENGTH];
    private final CRC32C crc = new CRC32C();
    // The whole record (header, payload, trailer) of the last document read; grows to the longest seen.
    private byte[] frame = new byte[256];

    /**
     * @param bytes          the document body, read position at the record's first byte
     * @param into           filled on success
     * @param file           the cycle file, for error messages
     * @param chronicleIndex the document's index, for error messages
     * @throws JournalCorruptionException if length, format version, flags or CRC is wrong
     */
    void decode(Bytes<?> bytes, JournalRecord into, File file, long chronicleIndex)
    {
        long position = bytes.readPosition();
        long length = bytes.readRemaining();
        if (length < HEADER_LENGTH + CRC_LENGTH)
        {
            throw new JournalCorruptionException("record of " + length + " bytes is shorter than the "
                + (HEADER_LENGTH + CRC_LENGTH) + "-byte header and CRC", file, position, -1, chronicleIndex);
        }
        // One copy of the whole record out of the mapped file, then every check on the array: three
        // reads through Chronicle's Bytes (header, payload, trailer) cost more than the checks. A
        // document too long for any record has only its header read, and fails the length check.
        byte[] frame;
        if (length <= MAX_RECORD_LENGTH)
        {
            frame = frame((int)length);
            bytes.read(frame, 0, (int)length);
        }
        else
        {
            bytes.read(header, 0, HEADER_LENGTH);
            frame = header;
        }
        long sequence = RecordDescriptor.sequence(frame);
        int formatVersion = RecordDescriptor.formatVersion(frame);
        if (formatVersion != CURRENT_FORMAT_VERSION)
        {
            throw new JournalCorruptionException("unknown record format version " + formatVersion
                + " (this build reads only version " + CURRENT_FORMAT_VERSION + ")", file, position, sequence,
                chronicleIndex);
        }
        int flags = RecordDescriptor.flags(frame);
        if (flags != 0)
        {
            throw new JournalCorruptionException("unknown record flags 0x" + Integer.toHexString(flags),
                file, position, sequence, chronicleIndex);
        }
        int payloadLength = RecordDescriptor.payloadLength(frame);
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH
            || RecordDescriptor.recordLength(payloadLength) != length)
        {
            throw new JournalCorruptionException(
                "payload length " + payloadLength + " does not match the document length "
                    + length,
                file, position, sequence, chronicleIndex);
        }
        int stored = RecordDescriptor.crcAt(frame, HEADER_LENGTH + payloadLength);
        crc.reset();
        crc.update(frame, 0, HEADER_LENGTH + payloadLength);
        int computed = (int)crc.getValue();
        if (stored != computed)
        {
            throw new JournalCorruptionException("CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                + ", computed 0x" + Integer.toHexString(computed), file, position, sequence, chronicleIndex);
        }
        byte[] payload = into.payloadBuffer(payloadLength);
        System.arraycopy(frame, HEADER_LENGTH, payload, 0, payloadLength);
        into.set(sequence, RecordDescriptor.eventTime(frame), RecordDescriptor.type(frame),
            RecordDescriptor.schemaVersion(frame), payloadLength, file, position, chronicleIndex);
    }

    private byte[] frame(int length)
    {
        if (frame.length < length)
        {
            frame = new byte[Integer.highestOneBit(length - 1) << 1];
        }
        return frame;
    }
}
