package io.stockflow.engine.rules;

import java.util.Arrays;

/**
 * SKU state as parallel primitive columns indexed by a dense row number (the
 * order SKUs were created in), with a {@link LongIntIndex} from SKU id to row.
 * Rows are never removed or moved, so a row can be kept instead of an id (order
 * lines keep their SKU's row). Maintains its share of the state hash.
 * Single-threaded.
 */
final class SkuTable
{
    private final LongIntIndex index;
    private long[] ids;
    private long[] onHand;
    private long[] reserved;
    private int count;
    private long hash;
    /** The live snapshot capture hooked into this table, or null. */
    RowCapture capture;

    /**
     * @param expectedCount SKUs to hold without growing.
     */
    SkuTable(final int expectedCount)
    {
        final int capacity = Math.max(16, expectedCount);
        index = new LongIntIndex(expectedCount);
        ids = new long[capacity];
        onHand = new long[capacity];
        reserved = new long[capacity];
    }

    int count()
    {
        return count;
    }

    long hash()
    {
        return hash;
    }

    /**
     * @param sku any value.
     * @return the SKU's row, or {@link LongIntIndex#MISSING}.
     */
    int find(final long sku)
    {
        return index.get(sku);
    }

    /**
     * Creates a SKU, which must not exist yet.
     *
     * @return its row.
     */
    int add(final long sku, final long onHandUnits, final long reservedUnits)
    {
        if (count == ids.length)
        {
            final int capacity = (int)Math.min(Integer.MAX_VALUE - 8, (long)count << 1);
            ids = Arrays.copyOf(ids, capacity);
            onHand = Arrays.copyOf(onHand, capacity);
            reserved = Arrays.copyOf(reserved, capacity);
        }
        final int row = count;
        index.putNew(sku, row);
        ids[row] = sku;
        onHand[row] = onHandUnits;
        reserved[row] = reservedUnits;
        count++;
        hash += StateHashing.sku(sku, onHandUnits, reservedUnits);
        return row;
    }

    long id(final int row)
    {
        return ids[row];
    }

    long onHand(final int row)
    {
        return onHand[row];
    }

    long reserved(final int row)
    {
        return reserved[row];
    }

    /** Sets a SKU's counts, keeping the hash current. */
    void set(final int row, final long onHandUnits, final long reservedUnits)
    {
        if (capture != null)
        {
            capture.beforeSkuWrite(row);
        }
        final long sku = ids[row];
        hash += StateHashing.sku(sku, onHandUnits, reservedUnits) - StateHashing.sku(sku, onHand[row], reserved[row]);
        onHand[row] = onHandUnits;
        reserved[row] = reservedUnits;
    }

    /** @return the hash recomputed from every row, to check the incremental one. */
    long recomputeHash()
    {
        long sum = 0;
        for (int row = 0; row < count; row++)
        {
            sum += StateHashing.sku(ids[row], onHand[row], reserved[row]);
        }
        return sum;
    }
}
