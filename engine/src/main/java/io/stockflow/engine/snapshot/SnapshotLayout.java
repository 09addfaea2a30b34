package io.stockflow.engine.snapshot;

import io.stockflow.engine.rules.Limits;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.engine.rules.StateRestorer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The encoding of the state's parts in a snapshot: the only place that knows the
 * offsets and lengths of a SKU value and an order record, and how a
 * {@link StateImage} entry becomes those bytes and the bytes become a
 * {@link StateRestorer} call. It says nothing of where the bytes go: today each SKU
 * value is stored under its id, and each chunk of up to {@link #ORDERS_PER_CHUNK}
 * order records under the chunk's number (0, 1, ...), in a Chronicle Map file
 * ({@link SnapshotWriter}); the replicated mode writes the same bytes into its own
 * snapshot stream. All fixed-width fields are little-endian.
 *
 * <pre>
 *  SKU value (16 bytes), key = SKU id
 *   0                                       8                                      16
 *   +---------------------------------------+---------------------------------------+
 *   | on hand                           i64 | reserved                          i64 |
 *   +---------------------------------------+---------------------------------------+
 *
 *  order chunk, key = chunk number: up to ORDERS_PER_CHUNK order records back to back,
 *  in the order of the state's rows.
 *
 *  Compact order record (snapshot schema 4, what the engine writes): varints
 *   | head u8 | id delta | account | changedAt delta | [deadline - changedAt] | n x (sku | qty | price) |
 *   head: bits 0-3 the OrderStatus code, bits 4-6 the line count minus 1 (n = 1 to 8),
 *         bit 7 set when the deadline is not 0 (and its field follows)
 *   each field after head is a signed value, zigzag-mapped and written as an unsigned
 *   LEB128 varint (7 bits a byte, low group first, high bit = more), 1 to 10 bytes;
 *   id delta and changedAt delta are from the previous record of the same chunk (from 0
 *   for a chunk's first record), so every chunk decodes on its own.
 *
 *  Fixed order record (snapshot schema 3, read for old snapshots; the cluster's format 3):
 *  8 + 26 + 24 x lines bytes
 *   0                     8                     16    17                    25                    33    34
 *   +---------------------+---------------------+-----+---------------------+---------------------+-----+
 *   | order id        i64 | account         i64 | st  | deadline        i64 | changedAt       i64 | n   |
 *   +---------------------+---------------------+-----+---------------------+---------------------+-----+
 *   st = OrderStatus code (i8), n = lines (i8, 1 to 8)
 *   then n lines of 24 bytes:  | sku i64 | qty i64 | price i64 |
 * </pre>
 *
 * <p>Why chunks and not one map entry per order: a snapshot load restores every order
 * into the order index, and Chronicle Map iterates its entries in hash order, so one
 * entry per order made each insertion a cache miss in a different part of the index,
 * and the per-entry iteration its own cost. Chunks in row order keep neighbouring ids
 * together (the index groups neighbouring ids) and cost one map lookup per
 * {@value #ORDERS_PER_CHUNK} orders.
 *
 * <p>Why varints: a snapshot's cost after the image is taken is in its bytes: the pages the
 * new file faults in, the CRC32C pass, the force, and at load the checked copy. Ids, times
 * that differ little from the previous record's, accounts, SKUs, quantities and prices are
 * small numbers; the fixed record spent 8 bytes on each.
 *
 * <p>The rule parameters and the count of forgotten orders are not entities: they are
 * stored in the snapshot's {@link SnapshotMetadata} ({@code retentionMs},
 * {@code orderCapacity}, {@code skuCapacity}, {@code ordersForgotten}).
 */
public final class SnapshotLayout
{
    /** Offset of a SKU's units on hand in its value. */
    public static final int SKU_ON_HAND_OFFSET = 0;
    /** Offset of a SKU's units reserved in its value. */
    public static final int SKU_RESERVED_OFFSET = 8;
    /** Length of a SKU value. */
    public static final int SKU_VALUE_LENGTH = 16;

    /** Most order records in one chunk. */
    public static final int ORDERS_PER_CHUNK = 1024;
    /** Offset of an order's id in its record. */
    public static final int ORDER_ID_OFFSET = 0;
    /** Offset of an order's account. */
    public static final int ORDER_ACCOUNT_OFFSET = 8;
    /** Offset of an order's {@link OrderStatus#code()} (8 bits). */
    public static final int ORDER_STATUS_OFFSET = 16;
    /** Offset of an order's deadline (0 unless RESERVED). */
    public static final int ORDER_DEADLINE_OFFSET = 17;
    /** Offset of an order's changedAt, the event time of its last status change. */
    public static final int ORDER_CHANGED_AT_OFFSET = 25;
    /** Offset of an order's line count (8 bits). */
    public static final int ORDER_LINE_COUNT_OFFSET = 33;
    /** Length of an order record's fixed part; the lines start here. */
    public static final int ORDER_HEADER_LENGTH = 34;
    /** Offset of a line's SKU within the line. */
    public static final int LINE_SKU_OFFSET = 0;
    /** Offset of a line's quantity within the line. */
    public static final int LINE_QTY_OFFSET = 8;
    /** Offset of a line's price within the line. */
    public static final int LINE_PRICE_OFFSET = 16;
    /** Length of one line. */
    public static final int LINE_LENGTH = 24;
    /** Most lines an order value holds: the rules' limit. */
    public static final int MAX_LINES = Limits.MAX_LINES;
    /** Length of the longest order record. */
    public static final int MAX_ORDER_RECORD_LENGTH = ORDER_HEADER_LENGTH + LINE_LENGTH * MAX_LINES;
    /** Longest varint: 64 bits in groups of 7. */
    private static final int MAX_VARINT_LENGTH = 10;
    /** Length of the longest compact order record: head, four fields, three per line. */
    public static final int MAX_COMPACT_ORDER_RECORD_LENGTH = 1 + MAX_VARINT_LENGTH * (4 + 3 * MAX_LINES);
    /** Length of the longest order chunk in either encoding: the size of a buffer that holds any chunk. */
    public static final int MAX_ORDER_CHUNK_LENGTH =
        ORDERS_PER_CHUNK * Math.max(MAX_ORDER_RECORD_LENGTH, MAX_COMPACT_ORDER_RECORD_LENGTH);
    private static final int HEAD_STATUS_MASK = 0x0F;
    private static final int HEAD_LINES_SHIFT = 4;
    private static final int HEAD_LINES_MASK = 0x07;
    private static final int HEAD_HAS_DEADLINE = 0x80;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SnapshotLayout()
    {
    }

    /**
     * @param lines an order's line count, 0 to {@link #MAX_LINES}.
     * @return the length of its record.
     */
    public static int orderRecordLength(final int lines)
    {
        return ORDER_HEADER_LENGTH + LINE_LENGTH * lines;
    }

    /**
     * @param line a line index.
     * @return the offset of that line in an order record.
     */
    public static int lineOffset(final int line)
    {
        return ORDER_HEADER_LENGTH + LINE_LENGTH * line;
    }

    /**
     * @param orders how many orders a snapshot holds.
     * @return how many chunks they take.
     */
    public static int orderChunkCount(final int orders)
    {
        return (orders + ORDERS_PER_CHUNK - 1) / ORDERS_PER_CHUNK;
    }

    /**
     * Encodes the image's SKU at {@code index}.
     *
     * @param image the state copy.
     * @param index 0 to {@code image.skuCount() - 1}.
     * @param value at least {@link #SKU_VALUE_LENGTH} bytes; overwritten from 0.
     * @return the SKU id, the value's key.
     */
    public static long encodeSku(final StateImage image, final int index, final byte[] value)
    {
        LONG.set(value, SKU_ON_HAND_OFFSET, image.skuOnHand(index));
        LONG.set(value, SKU_RESERVED_OFFSET, image.skuReserved(index));
        return image.skuId(index);
    }

    /**
     * Encodes the image's order at {@code index} as a record at {@code offset}.
     *
     * @param image  the state copy.
     * @param index  0 to {@code image.orderCount() - 1}.
     * @param chunk  the chunk being filled, with at least {@link #MAX_ORDER_RECORD_LENGTH} bytes from offset.
     * @param offset where the record starts.
     * @return the record's length.
     */
    public static int encodeOrder(final StateImage image, final int index, final byte[] chunk, final int offset)
    {
        final int lines = image.orderLineCount(index);
        LONG.set(chunk, offset + ORDER_ID_OFFSET, image.orderId(index));
        LONG.set(chunk, offset + ORDER_ACCOUNT_OFFSET, image.orderAccount(index));
        chunk[offset + ORDER_STATUS_OFFSET] = image.orderStatus(index);
        LONG.set(chunk, offset + ORDER_DEADLINE_OFFSET, image.orderDeadline(index));
        LONG.set(chunk, offset + ORDER_CHANGED_AT_OFFSET, image.orderChangedAt(index));
        chunk[offset + ORDER_LINE_COUNT_OFFSET] = (byte)lines;
        final int start = image.orderLineStart(index);
        for (int line = 0; line < lines; line++)
        {
            final int at = offset + lineOffset(line);
            LONG.set(chunk, at + LINE_SKU_OFFSET, image.lineSku(start + line));
            LONG.set(chunk, at + LINE_QTY_OFFSET, image.lineQty(start + line));
            LONG.set(chunk, at + LINE_PRICE_OFFSET, image.linePrice(start + line));
        }
        return orderRecordLength(lines);
    }

    /**
     * Decodes one SKU value into a restore.
     *
     * @param sku      the value's key.
     * @param value    the value.
     * @param restorer receives the SKU.
     * @throws InvalidSnapshotException if the value is not {@link #SKU_VALUE_LENGTH} bytes.
     */
    public static void restoreSku(final long sku, final byte[] value, final StateRestorer restorer)
        throws InvalidSnapshotException
    {
        if (value.length != SKU_VALUE_LENGTH)
        {
            throw new InvalidSnapshotException("sku " + sku + " has a malformed value");
        }
        restorer.restoreSku(sku, (long)LONG.get(value, SKU_ON_HAND_OFFSET), (long)LONG.get(value, SKU_RESERVED_OFFSET));
    }

    /**
     * Decodes one chunk of order records into a restore.
     *
     * @param chunkNumber the chunk's key, for messages.
     * @param chunk       holds the chunk from index 0.
     * @param length      the chunk's length.
     * @param lines       scratch for one order's lines.
     * @param restorer    receives the orders.
     * @return how many orders the chunk held.
     * @throws InvalidSnapshotException if a record's line count is over {@link #MAX_LINES} or below 1, a record
     *                                  runs past the chunk's end, or the chunk holds more than
     *                                  {@link #ORDERS_PER_CHUNK} records.
     */
    public static int restoreOrders(
        final long chunkNumber, final byte[] chunk, final int length, final LineScratch lines,
        final StateRestorer restorer)
        throws InvalidSnapshotException
    {
        int records = 0;
        int offset = 0;
        while (offset < length)
        {
            final int count = length - offset < ORDER_HEADER_LENGTH ? -1 : chunk[offset + ORDER_LINE_COUNT_OFFSET];
            if (count < 1 || count > MAX_LINES || length - offset < orderRecordLength(count)
                || records == ORDERS_PER_CHUNK)
            {
                throw malformed(chunkNumber, offset);
            }
            for (int line = 0; line < count; line++)
            {
                final int at = offset + lineOffset(line);
                lines.skus[line] = (long)LONG.get(chunk, at + LINE_SKU_OFFSET);
                lines.qtys[line] = (long)LONG.get(chunk, at + LINE_QTY_OFFSET);
                lines.prices[line] = (long)LONG.get(chunk, at + LINE_PRICE_OFFSET);
            }
            restorer.restoreOrder((long)LONG.get(chunk, offset + ORDER_ID_OFFSET),
                (long)LONG.get(chunk, offset + ORDER_ACCOUNT_OFFSET),
                OrderStatus.fromCode(chunk[offset + ORDER_STATUS_OFFSET]),
                (long)LONG.get(chunk, offset + ORDER_DEADLINE_OFFSET),
                (long)LONG.get(chunk, offset + ORDER_CHANGED_AT_OFFSET), count, lines.skus, lines.qtys, lines.prices);
            offset += orderRecordLength(count);
            records++;
        }
        return records;
    }

    /**
     * Encodes the image's order at {@code index} as a compact record at {@code offset}.
     *
     * @param image    the state copy.
     * @param index    0 to {@code image.orderCount() - 1}.
     * @param previous the index of the chunk's previous record, or -1 for a chunk's first.
     * @param chunk    the chunk being filled, with at least {@link #MAX_COMPACT_ORDER_RECORD_LENGTH} bytes from
     *                 offset.
     * @param offset   where the record starts.
     * @return the record's length.
     */
    public static int encodeCompactOrder(
        final StateImage image, final int index, final int previous, final byte[] chunk, final int offset)
    {
        final int lines = image.orderLineCount(index);
        final long deadline = image.orderDeadline(index);
        final long changedAt = image.orderChangedAt(index);
        final long previousId = previous < 0 ? 0 : image.orderId(previous);
        final long previousChangedAt = previous < 0 ? 0 : image.orderChangedAt(previous);
        chunk[offset] = (byte)(image.orderStatus(index) | (lines - 1) << HEAD_LINES_SHIFT
            | (deadline != 0 ? HEAD_HAS_DEADLINE : 0));
        int at = putSigned(chunk, offset + 1, image.orderId(index) - previousId);
        at = putSigned(chunk, at, image.orderAccount(index));
        at = putSigned(chunk, at, changedAt - previousChangedAt);
        if (deadline != 0)
        {
            at = putSigned(chunk, at, deadline - changedAt);
        }
        final int start = image.orderLineStart(index);
        for (int line = 0; line < lines; line++)
        {
            at = putSigned(chunk, at, image.lineSku(start + line));
            at = putSigned(chunk, at, image.lineQty(start + line));
            at = putSigned(chunk, at, image.linePrice(start + line));
        }
        return at - offset;
    }

    /**
     * @param image    the state copy.
     * @param index    0 to {@code image.orderCount() - 1}.
     * @param previous as for {@link #encodeCompactOrder}.
     * @return the length {@link #encodeCompactOrder} gives that record, without writing it.
     */
    public static int compactOrderLength(final StateImage image, final int index, final int previous)
    {
        final int lines = image.orderLineCount(index);
        final long deadline = image.orderDeadline(index);
        final long changedAt = image.orderChangedAt(index);
        int length = 1 + signedLength(image.orderId(index) - (previous < 0 ? 0 : image.orderId(previous)))
            + signedLength(image.orderAccount(index))
            + signedLength(changedAt - (previous < 0 ? 0 : image.orderChangedAt(previous)))
            + (deadline != 0 ? signedLength(deadline - changedAt) : 0);
        final int start = image.orderLineStart(index);
        for (int line = 0; line < lines; line++)
        {
            length += signedLength(image.lineSku(start + line)) + signedLength(image.lineQty(start + line))
                + signedLength(image.linePrice(start + line));
        }
        return length;
    }

    /**
     * Encodes one chunk of the image's orders as compact records: the orders from
     * {@code number * ORDERS_PER_CHUNK}, each id and time relative to the chunk's previous record, so
     * the chunk decodes on its own ({@link #restoreCompactOrders}).
     *
     * @param image  the state copy.
     * @param number 0 to {@code orderChunkCount(image.orderCount()) - 1}.
     * @param chunk  the chunk, at least {@link #MAX_ORDER_CHUNK_LENGTH} bytes.
     * @return the chunk's length.
     */
    public static int encodeOrderChunk(final StateImage image, final int number, final byte[] chunk)
    {
        final int first = number * ORDERS_PER_CHUNK;
        final int end = Math.min(first + ORDERS_PER_CHUNK, image.orderCount());
        int length = 0;
        for (int order = first; order < end; order++)
        {
            length += encodeCompactOrder(image, order, order == first ? -1 : order - 1, chunk, length);
        }
        return length;
    }

    /**
     * @param image  the state copy.
     * @param number as for {@link #encodeOrderChunk}.
     * @return the length {@link #encodeOrderChunk} gives that chunk, without writing it.
     */
    public static int orderChunkLength(final StateImage image, final int number)
    {
        final int first = number * ORDERS_PER_CHUNK;
        final int end = Math.min(first + ORDERS_PER_CHUNK, image.orderCount());
        int length = 0;
        for (int order = first; order < end; order++)
        {
            length += compactOrderLength(image, order, order == first ? -1 : order - 1);
        }
        return length;
    }

    /**
     * Decodes one chunk of order records of the given snapshot schema into a restore.
     *
     * @param schemaVersion {@code SnapshotMetadata}'s version: 4 compact, 3 fixed.
     * @param chunkNumber   the chunk's key, for messages.
     * @param chunk         holds the chunk from index 0.
     * @param length        the chunk's length.
     * @param lines         scratch for one order's lines.
     * @param restorer      receives the orders.
     * @return how many orders the chunk held.
     * @throws InvalidSnapshotException as {@link #restoreCompactOrders} or {@link #restoreOrders}, or for
     *                                  another version.
     */
    public static int restoreOrders(
        final int schemaVersion, final long chunkNumber, final byte[] chunk, final int length,
        final LineScratch lines, final StateRestorer restorer)
        throws InvalidSnapshotException
    {
        switch (schemaVersion)
        {
            case SnapshotMetadata.SCHEMA_VERSION:
                return restoreCompactOrders(chunkNumber, chunk, length, lines, restorer);
            case SnapshotMetadata.FIXED_ORDERS_SCHEMA_VERSION:
                return restoreOrders(chunkNumber, chunk, length, lines, restorer);
            default:
                throw new InvalidSnapshotException("no order encoding for schema version " + schemaVersion);
        }
    }

    /**
     * Decodes one chunk of compact order records into a restore.
     *
     * @param chunkNumber the chunk's key, for messages.
     * @param chunk       holds the chunk from index 0.
     * @param length      the chunk's length.
     * @param lines       scratch for one order's lines and the read position.
     * @param restorer    receives the orders.
     * @return how many orders the chunk held.
     * @throws InvalidSnapshotException if a record's status code is unknown, a varint runs past the chunk's
     *                                  end or over 10 bytes, or the chunk holds more than
     *                                  {@link #ORDERS_PER_CHUNK} records.
     */
    public static int restoreCompactOrders(
        final long chunkNumber, final byte[] chunk, final int length, final LineScratch lines,
        final StateRestorer restorer)
        throws InvalidSnapshotException
    {
        int records = 0;
        long id = 0;
        long changedAt = 0;
        lines.position = 0;
        lines.limit = length;
        while (lines.position < length)
        {
            final int start = lines.position;
            final int head = chunk[lines.position++] & 0xFF;
            final int code = head & HEAD_STATUS_MASK;
            if (code < OrderStatus.MIN_CODE || code > OrderStatus.MAX_CODE || records == ORDERS_PER_CHUNK)
            {
                throw malformed(chunkNumber, start);
            }
            final int count = (head >>> HEAD_LINES_SHIFT & HEAD_LINES_MASK) + 1;
            id += getSigned(chunk, lines, chunkNumber);
            final long account = getSigned(chunk, lines, chunkNumber);
            changedAt += getSigned(chunk, lines, chunkNumber);
            final long deadline =
                (head & HEAD_HAS_DEADLINE) != 0 ? changedAt + getSigned(chunk, lines, chunkNumber) : 0;
            for (int line = 0; line < count; line++)
            {
                lines.skus[line] = getSigned(chunk, lines, chunkNumber);
                lines.qtys[line] = getSigned(chunk, lines, chunkNumber);
                lines.prices[line] = getSigned(chunk, lines, chunkNumber);
            }
            restorer.restoreOrder(id, account, OrderStatus.fromCode(code), deadline, changedAt, count, lines.skus,
                lines.qtys, lines.prices);
            records++;
        }
        return records;
    }

    private static int putSigned(final byte[] into, final int offset, final long value)
    {
        long bits = value << 1 ^ value >> 63;
        int at = offset;
        while ((bits & ~0x7FL) != 0)
        {
            into[at++] = (byte)(bits & 0x7F | 0x80);
            bits >>>= 7;
        }
        into[at++] = (byte)bits;
        return at;
    }

    private static int signedLength(final long value)
    {
        final long bits = value << 1 ^ value >> 63;
        return bits == 0 ? 1 : (Long.SIZE - 1 - Long.numberOfLeadingZeros(bits)) / 7 + 1;
    }

    private static long getSigned(final byte[] from, final LineScratch cursor, final long chunkNumber)
        throws InvalidSnapshotException
    {
        final int start = cursor.position;
        long bits = 0;
        for (int shift = 0, at = start; shift < Long.SIZE; shift += 7)
        {
            if (at == cursor.limit)
            {
                break;
            }
            final int b = from[at++];
            bits |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                cursor.position = at;
                return bits >>> 1 ^ -(bits & 1);
            }
        }
        throw malformed(chunkNumber, start);
    }

    private static InvalidSnapshotException malformed(final long chunkNumber, final int offset)
    {
        return new InvalidSnapshotException("order chunk " + chunkNumber + " is malformed at byte " + offset);
    }

    /** Reusable arrays that one order's lines are decoded into, and a compact chunk's read position; one per loading thread. */
    public static final class LineScratch
    {
        final long[] skus = new long[MAX_LINES];
        final long[] qtys = new long[MAX_LINES];
        final long[] prices = new long[MAX_LINES];
        /** Where the next compact field starts, and the chunk's end. */
        int position;
        int limit;
    }
}
