package io.stockflow.engine.rules;

import java.util.Arrays;

/**
 * The pending reservation deadlines, popped in ascending {@code (deadline, order)}
 * as docs/DOMAIN.md requires for expiries, with lazy deletion: a CANCEL or SHIP does
 * not search the queue; the stale entry is dropped when it reaches the top and its
 * order is no longer RESERVED. Each entry is three longs (deadline, order id, order
 * row), so popping yields the row without an index lookup. Single-threaded.
 *
 * <p>Why not a plain binary heap: the queue holds every order placed within a TTL,
 * hundreds of thousands of entries, megabytes, and every placed order is popped
 * once. Below its first levels each step of a heap's sift-down is a cache miss, and
 * replay spent about 30% of its time there. This is a radix heap instead (Ahuja,
 * Mehlhorn, Orlin and Tarjan), which reads and writes its entries sequentially:
 *
 * <ul>
 *   <li>{@code floor} is the deadline of the last refill. Entries with a deadline
 *       {@code <= floor} (the ties being popped, and any entry added below the floor)
 *       are in a small exact 4-ary heap, the <em>near</em> heap, whose top is the
 *       queue's top whenever it is not empty.</li>
 *   <li>Every other entry is appended, unsorted, to bucket {@code b} = the position
 *       of the highest bit in which its deadline differs from {@code floor}, plus
 *       one. Every entry of a bucket is below every entry of a higher bucket.</li>
 *   <li>When the near heap runs empty, the lowest non-empty bucket is scanned for its
 *       smallest deadline, which becomes the floor, and its entries are moved: those
 *       with that deadline into the near heap, the others into lower buckets.</li>
 * </ul>
 *
 * <p>An entry moves down at most 64 times and usually a handful, in sequential passes.
 * Bucket entries live in fixed-size chunks of their own (3 KiB), allocated up front for
 * the expected size, then one at a time, and recycled through a free list, so the queue
 * allocates only when it holds more entries than ever before, and growing it never copies
 * its entries (only the chunk directory, one reference per {@value #CHUNK_ENTRIES} entries).
 */
final class ExpiryQueue
{
    private static final int STRIDE = 3;
    private static final int MIN_CAPACITY = 16;
    private static final int ARITY_BITS = 2;
    private static final int ARITY = 1 << ARITY_BITS;
    private static final int BUCKETS = Long.SIZE + 1;
    private static final int CHUNK_ENTRIES = 128;
    private static final int CHUNK_LONGS = CHUNK_ENTRIES * STRIDE;
    private static final int NO_CHUNK = -1;

    private long[] near;
    private int nearSize;

    /** Chunk number to its entries; chunks below {@link #chunksCarved} are allocated. */
    private long[][] chunks;
    private int[] nextChunk;
    private int chunksCarved;
    private int freeChunk = NO_CHUNK;
    private final int[] headChunk = new int[BUCKETS];
    private final int[] tailChunk = new int[BUCKETS];
    private final int[] tailFill = new int[BUCKETS];
    private final int[] bucketSize = new int[BUCKETS];

    private long floor = Long.MIN_VALUE;
    private int size;

    /**
     * @param expectedSize entries to hold without growing.
     */
    ExpiryQueue(final int expectedSize)
    {
        near = new long[MIN_CAPACITY * STRIDE];
        final int chunkCount = chunksFor(expectedSize);
        chunks = new long[chunkCount][];
        nextChunk = new int[chunkCount];
        allocateChunks();
        emptyBuckets();
    }

    /**
     * Grows the chunk array, if needed, so that this many entries fit without growing again.
     *
     * @param expectedSize entries to hold.
     */
    void reserve(final int expectedSize)
    {
        final int chunkCount = chunksFor(expectedSize);
        if (chunkCount > nextChunk.length)
        {
            chunks = Arrays.copyOf(chunks, chunkCount);
            nextChunk = Arrays.copyOf(nextChunk, chunkCount);
            allocateChunks();
        }
    }

    /** Allocates every chunk the directory has room for, so a queue sized up front never allocates. */
    private void allocateChunks()
    {
        for (int chunk = 0; chunk < chunks.length; chunk++)
        {
            if (chunks[chunk] == null)
            {
                chunks[chunk] = new long[CHUNK_LONGS];
            }
        }
    }

    /** @return true if no entry is queued. */
    boolean isEmpty()
    {
        return size == 0;
    }

    /** @return the number of entries, stale ones included. */
    int size()
    {
        return size;
    }

    /** @return the smallest deadline; undefined when empty. */
    long peekDeadline()
    {
        return near[0];
    }

    /** @return the order id of the smallest entry; undefined when empty. */
    long peekOrder()
    {
        return near[1];
    }

    /** @return the order row of the smallest entry; undefined when empty. */
    int peekRow()
    {
        return (int)near[2];
    }

    /**
     * Rows of entries whose deadline is at or before a time, the ones the next pops will
     * reach first, for reading them ahead ({@link FulfillmentRules#prefetchOrders}): from the
     * near heap, then from the lowest buckets, looking at no more than {@code 4 * max}
     * entries and stopping at the first bucket whose deadlines all come later. Neither every
     * such entry nor in order; changes nothing.
     *
     * @param dueAtOrBefore the latest deadline wanted.
     * @param rows          where the rows go.
     * @param max           rows wanted at most.
     * @return the rows written.
     */
    int dueRows(final long dueAtOrBefore, final int[] rows, final int max)
    {
        int found = 0;
        int budget = max << 2;
        final long[] heap = near;
        // The near heap's top is its earliest deadline: when it is not due, no entry of the heap is, and
        // the scan below would spend its whole budget finding nothing (the common case between expiries).
        final int nearEnd = nearSize > 0 && heap[0] <= dueAtOrBefore ? nearSize * STRIDE : 0;
        for (int at = 0; at < nearEnd && found < max && budget-- > 0; at += STRIDE)
        {
            if (heap[at] <= dueAtOrBefore)
            {
                rows[found++] = (int)heap[at + 2];
            }
        }
        for (int bucket = 1; bucket < BUCKETS && found < max && budget > 0; bucket++)
        {
            if (bucketSize[bucket] == 0)
            {
                continue;
            }
            // Every deadline in this bucket has the floor's bits above bucket - 1 and bit bucket - 1 set.
            final long lowest = (floor >>> (bucket - 1) | 1) << (bucket - 1);
            if (lowest > dueAtOrBefore)
            {
                break;
            }
            for (int chunk = headChunk[bucket]; chunk != NO_CHUNK && found < max && budget > 0; chunk =
                nextChunk[chunk])
            {
                final long[] entries = chunks[chunk];
                final int end = (nextChunk[chunk] == NO_CHUNK ? tailFill[bucket] : CHUNK_ENTRIES) * STRIDE;
                for (int at = 0; at < end && found < max && budget-- > 0; at += STRIDE)
                {
                    if (entries[at] <= dueAtOrBefore)
                    {
                        rows[found++] = (int)entries[at + 2];
                    }
                }
            }
        }
        return found;
    }

    /** Removes every entry, keeping the arrays. */
    void clear()
    {
        size = 0;
        nearSize = 0;
        floor = Long.MIN_VALUE;
        chunksCarved = 0;
        freeChunk = NO_CHUNK;
        emptyBuckets();
    }

    /**
     * @param deadline the order's deadline.
     * @param order    the order id, the tie-breaker for equal deadlines.
     * @param row      the order's row in the order table.
     */
    void add(final long deadline, final long order, final int row)
    {
        if (deadline <= floor)
        {
            addNear(deadline, order, row);
        }
        else
        {
            append(bucketOf(deadline), deadline, order, row);
        }
        size++;
        if (nearSize == 0)
        {
            refill();
        }
    }

    /** Removes the smallest entry; the queue must not be empty. */
    void removeTop()
    {
        removeNearTop();
        size--;
        if (nearSize == 0 && size > 0)
        {
            refill();
        }
    }

    private int bucketOf(final long deadline)
    {
        return Long.SIZE - Long.numberOfLeadingZeros(deadline ^ floor);
    }

    /** Moves the lowest non-empty bucket's smallest deadline into the near heap and spreads the rest lower. */
    private void refill()
    {
        int bucket = 1;
        while (bucketSize[bucket] == 0)
        {
            bucket++;
        }
        final int head = headChunk[bucket];
        final int lastFill = tailFill[bucket];
        headChunk[bucket] = NO_CHUNK;
        tailChunk[bucket] = NO_CHUNK;
        tailFill[bucket] = 0;
        bucketSize[bucket] = 0;
        floor = smallestDeadline(head, lastFill);
        int chunk = head;
        while (chunk != NO_CHUNK)
        {
            final int next = nextChunk[chunk];
            final int end = (next == NO_CHUNK ? lastFill : CHUNK_ENTRIES) * STRIDE;
            // The chunk's own array: appends below go to other chunks and never move this one.
            final long[] entries = chunks[chunk];
            for (int at = 0; at < end; at += STRIDE)
            {
                final long deadline = entries[at];
                final long order = entries[at + 1];
                final int row = (int)entries[at + 2];
                if (deadline == floor)
                {
                    addNear(deadline, order, row);
                }
                else
                {
                    append(bucketOf(deadline), deadline, order, row);
                }
            }
            nextChunk[chunk] = freeChunk;
            freeChunk = chunk;
            chunk = next;
        }
    }

    private long smallestDeadline(final int head, final int lastFill)
    {
        long smallest = Long.MAX_VALUE;
        for (int chunk = head; chunk != NO_CHUNK; chunk = nextChunk[chunk])
        {
            final int end = (nextChunk[chunk] == NO_CHUNK ? lastFill : CHUNK_ENTRIES) * STRIDE;
            final long[] entries = chunks[chunk];
            for (int at = 0; at < end; at += STRIDE)
            {
                smallest = Math.min(smallest, entries[at]);
            }
        }
        return smallest;
    }

    private void append(final int bucket, final long deadline, final long order, final int row)
    {
        int chunk = tailChunk[bucket];
        int fill = tailFill[bucket];
        if (chunk == NO_CHUNK || fill == CHUNK_ENTRIES)
        {
            final int fresh = takeChunk();
            if (chunk == NO_CHUNK)
            {
                headChunk[bucket] = fresh;
            }
            else
            {
                nextChunk[chunk] = fresh;
            }
            tailChunk[bucket] = fresh;
            chunk = fresh;
            fill = 0;
        }
        final long[] entries = chunks[chunk];
        final int at = fill * STRIDE;
        entries[at] = deadline;
        entries[at + 1] = order;
        entries[at + 2] = row;
        tailFill[bucket] = fill + 1;
        bucketSize[bucket]++;
    }

    private int takeChunk()
    {
        final int chunk;
        if (freeChunk != NO_CHUNK)
        {
            chunk = freeChunk;
            freeChunk = nextChunk[chunk];
        }
        else
        {
            if (chunksCarved == nextChunk.length)
            {
                final int capacity = nextChunk.length << 1;
                chunks = Arrays.copyOf(chunks, capacity);
                nextChunk = Arrays.copyOf(nextChunk, capacity);
            }
            chunk = chunksCarved++;
            if (chunks[chunk] == null)
            {
                chunks[chunk] = new long[CHUNK_LONGS];
            }
        }
        nextChunk[chunk] = NO_CHUNK;
        return chunk;
    }

    /** Enough chunks for {@code entries} plus a partly filled last chunk in every bucket. */
    private static int chunksFor(final int entries)
    {
        return Math.max(MIN_CAPACITY, entries) / CHUNK_ENTRIES + BUCKETS;
    }

    private void emptyBuckets()
    {
        Arrays.fill(headChunk, NO_CHUNK);
        Arrays.fill(tailChunk, NO_CHUNK);
        Arrays.fill(tailFill, 0);
        Arrays.fill(bucketSize, 0);
    }

    private void addNear(final long deadline, final long order, final int row)
    {
        if ((nearSize + 1) * STRIDE > near.length)
        {
            near = Arrays.copyOf(near, near.length << 1);
        }
        final long[] heap = near;
        int child = nearSize++;
        while (child > 0)
        {
            final int parent = (child - 1) >>> ARITY_BITS;
            final int parentAt = parent * STRIDE;
            if (!less(deadline, order, heap[parentAt], heap[parentAt + 1]))
            {
                break;
            }
            copy(heap, parentAt, child * STRIDE);
            child = parent;
        }
        final int at = child * STRIDE;
        heap[at] = deadline;
        heap[at + 1] = order;
        heap[at + 2] = row;
    }

    private void removeNearTop()
    {
        final long[] heap = near;
        final int last = --nearSize;
        if (last == 0)
        {
            return;
        }
        final int lastAt = last * STRIDE;
        final long deadline = heap[lastAt];
        final long order = heap[lastAt + 1];
        final long row = heap[lastAt + 2];
        int parent = 0;
        while (true)
        {
            final int first = (parent << ARITY_BITS) + 1;
            if (first >= last)
            {
                break;
            }
            int childAt = first * STRIDE;
            final int end = Math.min(first + ARITY, last) * STRIDE;
            for (int siblingAt = childAt + STRIDE; siblingAt < end; siblingAt += STRIDE)
            {
                if (less(heap[siblingAt], heap[siblingAt + 1], heap[childAt], heap[childAt + 1]))
                {
                    childAt = siblingAt;
                }
            }
            if (!less(heap[childAt], heap[childAt + 1], deadline, order))
            {
                break;
            }
            copy(heap, childAt, parent * STRIDE);
            parent = childAt / STRIDE;
        }
        final int at = parent * STRIDE;
        heap[at] = deadline;
        heap[at + 1] = order;
        heap[at + 2] = row;
    }

    private static boolean less(final long deadline, final long order, final long otherDeadline, final long otherOrder)
    {
        return deadline < otherDeadline || (deadline == otherDeadline && order < otherOrder);
    }

    private static void copy(final long[] heap, final int from, final int to)
    {
        heap[to] = heap[from];
        heap[to + 1] = heap[from + 1];
        heap[to + 2] = heap[from + 2];
    }
}
