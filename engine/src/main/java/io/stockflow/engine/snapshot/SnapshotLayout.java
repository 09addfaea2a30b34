package io.stockflow.engine.snapshot;

import io.stockflow.engine.rules.Limits;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.engine.rules.StateRestorer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The encoding of the state's parts in a snapshot: the only place that knows the
 * offsets and lengths of a SKU value and an order value, and how a
 * {@link StateImage} entry becomes those bytes and the bytes become a
 * {@link StateRestorer} call. It says nothing of where the bytes go: today each value
 * is stored under its id (SKU or order, a {@code long}) in a Chronicle Map file
 * ({@link SnapshotWriter}), and a replicated mode can write the same values into
 * its own snapshot stream. All fields are little-endian.
 *
 * <pre>
 *  SKU value (16 bytes), key = SKU id
 *   0                                       8                                      16
 *   +---------------------------------------+---------------------------------------+
 *   | on hand                           i64 | reserved                          i64 |
 *   +---------------------------------------+---------------------------------------+
 *
 *  order value (26 + 24 x lines bytes, 1 to 8 lines), key = order id
 *   0                     8     9                     17                    25    26
 *   +---------------------+-----+---------------------+---------------------+-----+
 *   | account         i64 | st  | deadline        i64 | changedAt       i64 | n   |
 *   +---------------------+-----+---------------------+---------------------+-----+
 *   st = OrderStatus code (i8), n = lines (i8)
 *   then n lines of 24 bytes:  | sku i64 | qty i64 | price i64 |
 * </pre>
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

    /** Offset of an order's account. */
    public static final int ORDER_ACCOUNT_OFFSET = 0;
    /** Offset of an order's {@link OrderStatus#code()} (8 bits). */
    public static final int ORDER_STATUS_OFFSET = 8;
    /** Offset of an order's deadline (0 unless RESERVED). */
    public static final int ORDER_DEADLINE_OFFSET = 9;
    /** Offset of an order's changedAt, the event time of its last status change. */
    public static final int ORDER_CHANGED_AT_OFFSET = 17;
    /** Offset of an order's line count (8 bits). */
    public static final int ORDER_LINE_COUNT_OFFSET = 25;
    /** Length of an order value's fixed part; the lines start here. */
    public static final int ORDER_HEADER_LENGTH = 26;
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
    /** Length of the longest order value. */
    public static final int MAX_ORDER_VALUE_LENGTH = ORDER_HEADER_LENGTH + LINE_LENGTH * MAX_LINES;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SnapshotLayout()
    {
    }

    /**
     * @param lines an order's line count, 0 to {@link #MAX_LINES}.
     * @return the length of its value.
     */
    public static int orderValueLength(final int lines)
    {
        return ORDER_HEADER_LENGTH + LINE_LENGTH * lines;
    }

    /**
     * @param line a line index.
     * @return the offset of that line in an order value.
     */
    public static int lineOffset(final int line)
    {
        return ORDER_HEADER_LENGTH + LINE_LENGTH * line;
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
        LONG.set(value, SKU_ON_HAND_OFFSET, image.skuOnHand[index]);
        LONG.set(value, SKU_RESERVED_OFFSET, image.skuReserved[index]);
        return image.skuIds[index];
    }

    /**
     * Encodes the image's order at {@code index}.
     *
     * @param image the state copy.
     * @param index 0 to {@code image.orderCount() - 1}.
     * @param value at least {@link #orderValueLength} of the order's lines; overwritten from 0.
     * @return the value's length.
     */
    public static int encodeOrder(final StateImage image, final int index, final byte[] value)
    {
        final int lines = image.orderLineCounts[index];
        LONG.set(value, ORDER_ACCOUNT_OFFSET, image.orderAccounts[index]);
        value[ORDER_STATUS_OFFSET] = image.orderStatuses[index];
        LONG.set(value, ORDER_DEADLINE_OFFSET, image.orderDeadlines[index]);
        LONG.set(value, ORDER_CHANGED_AT_OFFSET, image.orderChangedAts[index]);
        value[ORDER_LINE_COUNT_OFFSET] = (byte)lines;
        final int start = image.orderLineStarts[index];
        for (int line = 0; line < lines; line++)
        {
            final int at = lineOffset(line);
            LONG.set(value, at + LINE_SKU_OFFSET, image.lineSkus[start + line]);
            LONG.set(value, at + LINE_QTY_OFFSET, image.lineQtys[start + line]);
            LONG.set(value, at + LINE_PRICE_OFFSET, image.linePrices[start + line]);
        }
        return orderValueLength(lines);
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
     * Decodes one order value into a restore.
     *
     * @param order    the value's key.
     * @param value    the value.
     * @param lines    scratch for the lines: three arrays of at least {@link #MAX_LINES}.
     * @param restorer receives the order.
     * @throws InvalidSnapshotException if the value's length does not match its line count, or the
     *                                  line count is over {@link #MAX_LINES}.
     */
    public static void restoreOrder(
        final long order, final byte[] value, final LineScratch lines, final StateRestorer restorer)
        throws InvalidSnapshotException
    {
        final int count = value.length < ORDER_HEADER_LENGTH ? -1 : value[ORDER_LINE_COUNT_OFFSET];
        if (count < 0 || count > MAX_LINES || value.length != orderValueLength(count))
        {
            throw new InvalidSnapshotException("order " + order + " has a malformed value");
        }
        for (int line = 0; line < count; line++)
        {
            final int at = lineOffset(line);
            lines.skus[line] = (long)LONG.get(value, at + LINE_SKU_OFFSET);
            lines.qtys[line] = (long)LONG.get(value, at + LINE_QTY_OFFSET);
            lines.prices[line] = (long)LONG.get(value, at + LINE_PRICE_OFFSET);
        }
        restorer.restoreOrder(order, (long)LONG.get(value, ORDER_ACCOUNT_OFFSET),
            OrderStatus.fromCode(value[ORDER_STATUS_OFFSET]), (long)LONG.get(value, ORDER_DEADLINE_OFFSET),
            (long)LONG.get(value, ORDER_CHANGED_AT_OFFSET), count,
            lines.skus, lines.qtys, lines.prices);
    }

    /** Reusable arrays that one order's lines are decoded into; one per loading thread. */
    public static final class LineScratch
    {
        final long[] skus = new long[MAX_LINES];
        final long[] qtys = new long[MAX_LINES];
        final long[] prices = new long[MAX_LINES];
    }
}
