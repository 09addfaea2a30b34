package io.stockflow.engine.rules;

/**
 * The rule parameters of docs/DOMAIN.md "Rule parameters": their allowed values and a
 * new directory's defaults, in one place so the rules, the engine configuration, the
 * CLI and the tests agree. Each parameter is 0 (off: never forget, no limit) or a value
 * in its range.
 */
public final class RuleParameters
{
    /** Shortest retention other than 0: 1 minute. */
    public static final long MIN_RETENTION_MS = 60_000L;
    /** Longest retention: 365 days. */
    public static final long MAX_RETENTION_MS = 31_536_000_000L;
    /** Highest order capacity: 2^28 held orders. */
    public static final long MAX_ORDER_CAPACITY = 268_435_456L;
    /** Highest SKU capacity: 2^24 SKUs. */
    public static final long MAX_SKU_CAPACITY = 16_777_216L;
    /** A new directory's retention: 7 days. */
    public static final long DEFAULT_RETENTION_MS = 604_800_000L;
    /** A new directory's order capacity. */
    public static final long DEFAULT_ORDER_CAPACITY = 16_777_216L;
    /** A new directory's SKU capacity. */
    public static final long DEFAULT_SKU_CAPACITY = 1_048_576L;
    /** Highest command or event time: the end of the year 9999 in epoch milliseconds. */
    public static final long MAX_TIME_MS = 253_402_300_799_999L;

    /**
     * Heap the rules take per held order: 151 B measured (rounded up to 155) with
     * {@code HeldOrderBytesMain} (engine tests): 4,020,000 held orders of the demo's line mix
     * (1.55 lines per order, a third SHIPPED, the rest RESERVED) under a one-minute retention
     * that had forgotten 1,980,000, used heap after {@code System.gc()} minus that of empty
     * rules, ParallelGC, JDK 17, -Xmx3g: 607,196,000 B (the same in three runs). It covers the
     * order columns, the lines, the id index slots at its load factor, and the expiry and
     * retention queue entries, all in paged columns that grow a page at a time (188 B when the
     * tables grew by doubling).
     */
    public static final long BYTES_PER_HELD_ORDER = 155;
    /**
     * Heap a running engine with periodic snapshots takes per held order: 405 B measured by
     * {@code stockflow bench longrun --events 50000000 --order-retention 60s} (heap after GC over
     * 1.96 million held orders, steady over the second half of the run; 404.5, 404.6 and 405.0 B in
     * three runs), rounded up to 410. About 2.6 times {@link #BYTES_PER_HELD_ORDER}: the shadow state
     * that snapshots come from is a second copy of the rules, and the flat image a snapshot is written
     * from a third, smaller one. With a tenth of the state (206,724 held orders) the same run measured
     * 522 B, the engine's fixed buffers weighing more.
     */
    public static final long ENGINE_BYTES_PER_HELD_ORDER_WITH_SNAPSHOTS = 410;
    /** Heap per SKU: three columns (24 B) and its index slots (about 27 B), rounded up. */
    public static final long BYTES_PER_SKU = 64;

    private RuleParameters()
    {
    }

    /**
     * @param retentionMs a candidate value.
     * @return true if it is 0 or in {@value #MIN_RETENTION_MS}..{@value #MAX_RETENTION_MS}.
     */
    public static boolean validRetention(final long retentionMs)
    {
        return retentionMs == 0 || (retentionMs >= MIN_RETENTION_MS && retentionMs <= MAX_RETENTION_MS);
    }

    /**
     * @param timeMs a candidate command time ({@code ts}) or event time, epoch milliseconds.
     * @return true if it is in 0..{@value #MAX_TIME_MS}, the range docs/DOMAIN.md "Units and time"
     *         gives every time, so that no sum of a time and a duration can overflow.
     */
    public static boolean validTime(final long timeMs)
    {
        return timeMs >= 0 && timeMs <= MAX_TIME_MS;
    }

    /**
     * @param orderCapacity a candidate value.
     * @return true if it is in 0..{@value #MAX_ORDER_CAPACITY}.
     */
    public static boolean validOrderCapacity(final long orderCapacity)
    {
        return orderCapacity >= 0 && orderCapacity <= MAX_ORDER_CAPACITY;
    }

    /**
     * @param skuCapacity a candidate value.
     * @return true if it is in 0..{@value #MAX_SKU_CAPACITY}.
     */
    public static boolean validSkuCapacity(final long skuCapacity)
    {
        return skuCapacity >= 0 && skuCapacity <= MAX_SKU_CAPACITY;
    }

    /**
     * @param snapshots whether the engine takes periodic snapshots (and so keeps a shadow state).
     * @return the heap per held order to size by: {@link #ENGINE_BYTES_PER_HELD_ORDER_WITH_SNAPSHOTS}
     *         with snapshots, else {@link #BYTES_PER_HELD_ORDER}.
     */
    public static long bytesPerHeldOrder(final boolean snapshots)
    {
        return snapshots ? ENGINE_BYTES_PER_HELD_ORDER_WITH_SNAPSHOTS : BYTES_PER_HELD_ORDER;
    }

    /**
     * @param orderCapacity the order capacity (0: no limit).
     * @param skuCapacity   the SKU capacity (0: no limit).
     * @param snapshots     whether the engine takes periodic snapshots ({@link #bytesPerHeldOrder}).
     * @return the heap that full capacities take at {@link #bytesPerHeldOrder} and {@link #BYTES_PER_SKU}
     *         (twice that with snapshots), or {@link Long#MAX_VALUE} when either has no limit.
     */
    public static long bytesAtCapacity(final long orderCapacity, final long skuCapacity, final boolean snapshots)
    {
        if (orderCapacity == 0 || skuCapacity == 0)
        {
            return Long.MAX_VALUE;
        }
        return orderCapacity * bytesPerHeldOrder(snapshots) + skuCapacity * BYTES_PER_SKU * (snapshots ? 2 : 1);
    }

    /** @return the allowed retention values, for messages. */
    public static String retentionValues()
    {
        return "0 (never forget) or " + MIN_RETENTION_MS + ".." + MAX_RETENTION_MS + " ms (1 minute to 365 days)";
    }

    /** @return the allowed order capacity values, for messages. */
    public static String orderCapacityValues()
    {
        return "0 (no limit) or 1.." + MAX_ORDER_CAPACITY + " held orders";
    }

    /** @return the allowed SKU capacity values, for messages. */
    public static String skuCapacityValues()
    {
        return "0 (no limit) or 1.." + MAX_SKU_CAPACITY + " SKUs";
    }
}
