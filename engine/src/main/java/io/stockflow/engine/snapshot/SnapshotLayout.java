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
 * ({@link SnapshotWriter}); a replicated mode can write the same bytes into its own
 * snapshot stream. All fields are little-endian.
 *
 * <pre>
 *  SKU value (16 bytes), key = SKU id
 *   0                                       8                                      16
 *   +---------------------------------------+---------------------------------------+
 *   | on hand                           i64 | reserved                          i64 |
 *   +---------------------------------------+---------------------------------------+
 *
 *  order chunk, key = chunk number: up to ORDERS_PER_CHUNK order records back to back,
 *  in the order of the state's rows; an order record is 8 + 26 + 24 x lines bytes:
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
    /** Length of the longest order chunk. */
    public static final int MAX_ORDER_CHUNK_LENGTH = ORDERS_PER_CHUNK * MAX_ORDER_RECORD_LENGTH;

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
                throw new InvalidSnapshotException("order chunk " + chunkNumber + " is malformed at byte " + offset);
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

    /** Reusable arrays that one order's lines are decoded into; one per loading thread. */
    public static final class LineScratch
    {
        final long[] skus = new long[MAX_LINES];
        final long[] qtys = new long[MAX_LINES];
        final long[] prices = new long[MAX_LINES];
    }
}
