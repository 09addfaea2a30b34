package io.stockflow.engine.columns;

/**
 * What the paged columns share: their page size.
 *
 * <p>Why pages and not one array per column grown by doubling: growing an array of
 * millions of entries copies it on the thread that owns the state (the logic stage, or
 * the snapshot thread's shadow state), a pause in proportion to the state, and allocates
 * one humongous array that the JVM zeroes, page-faulting fresh heap in, in a step no
 * safepoint can interrupt. Measured here with {@code -Xlog:safepoint} and {@code perf}
 * under {@code bench latency --preload-orders 1000000}: such allocations on the snapshot
 * thread kept every other thread, the logic stage included, waiting 50 to 140 ms for a
 * GC's safepoint. A page of {@value #PAGE_SIZE} entries (128 KiB of longs) is well under
 * G1's humongous threshold, so growth costs one small allocation per page and copies
 * nothing; a read costs one more load (the page) than a flat array.
 */
public final class Columns
{
    /** log2 of {@link #PAGE_SIZE}. */
    public static final int PAGE_BITS = 14;
    /** Entries per page. */
    public static final int PAGE_SIZE = 1 << PAGE_BITS;
    /** {@code index & PAGE_MASK} is an entry's place in its page. */
    public static final int PAGE_MASK = PAGE_SIZE - 1;
    /** The most entries a column holds: whole pages below {@code 2^31}. */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - PAGE_MASK;

    private Columns()
    {
    }
}
