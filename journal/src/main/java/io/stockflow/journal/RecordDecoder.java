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
 * the record's payload buffer or to throw.
 */
final class RecordDecoder
{
    private final byte[] header = new byte[HEADER_LENGTH];
    private final byte[] trailer = new byte[CRC_LENGTH];
    private final CRC32C crc = new CRC32C();

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
        bytes.read(header, 0, HEADER_LENGTH);
        long sequence = RecordDescriptor.sequence(header);
        int formatVersion = RecordDescriptor.formatVersion(header);
        if (formatVersion != CURRENT_FORMAT_VERSION)
        {
            throw new JournalCorruptionException("unknown record format version " + formatVersion
                + " (this build reads only version " + CURRENT_FORMAT_VERSION + ")", file, position, sequence,
                chronicleIndex);
        }
        int flags = RecordDescriptor.flags(header);
        if (flags != 0)
        {
            throw new JournalCorruptionException("unknown record flags 0x" + Integer.toHexString(flags),
                file, position, sequence, chronicleIndex);
        }
        int payloadLength = RecordDescriptor.payloadLength(header);
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH
            || RecordDescriptor.recordLength(payloadLength) != length)
        {
            throw new JournalCorruptionException(
                "payload length " + payloadLength + " does not match the document length "
                    + length,
                file, position, sequence, chronicleIndex);
        }
        byte[] payload = into.payloadBuffer(payloadLength);
        bytes.read(payload, 0, payloadLength);
        bytes.read(trailer, 0, CRC_LENGTH);
        int stored = RecordDescriptor.crc(trailer);
        int computed = RecordDescriptor.checksum(crc, header, payload, 0, payloadLength);
        if (stored != computed)
        {
            throw new JournalCorruptionException("CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                + ", computed 0x" + Integer.toHexString(computed), file, position, sequence, chronicleIndex);
        }
        into.set(sequence, RecordDescriptor.eventTime(header), RecordDescriptor.type(header),
            RecordDescriptor.schemaVersion(header), payloadLength, file, position, chronicleIndex);
    }
}
