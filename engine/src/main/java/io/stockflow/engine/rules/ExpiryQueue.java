package io.stockflow.engine.rules;

/**
 * A binary min-heap of reservation deadlines, ordered by {@code (deadline, order)}
 * as DOMAIN.md requires for expiries, with lazy deletion: a CANCEL or SHIP does
 * not search the heap; the stale entry is dropped when it reaches the top and its
 * order is no longer RESERVED.
 *
 * <p>Each entry is three longs in one array (deadline, order id, order row), so a
 * comparison touches one place and popping yields the row without an index lookup.
 * Deadlines are mostly {@code t + 15 min} with a non-decreasing {@code t}, so a new
 * entry usually belongs near the bottom and sifting up stops after a step or two.
 * Single-threaded.
 */
final class ExpiryQueue
{
    private static final int STRIDE = 3;
    private static final int MIN_CAPACITY = 16;

    private long[] heap;
    private int size;

    /**
     * @param expectedSize entries to hold without growing.
     */
    ExpiryQueue(final int expectedSize)
    {
        heap = new long[Math.max(MIN_CAPACITY, expectedSize) * STRIDE];
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
        return heap[0];
    }

    /** @return the order id of the smallest entry; undefined when empty. */
    long peekOrder()
    {
        return heap[1];
    }

    /** @return the order row of the smallest entry; undefined when empty. */
    int peekRow()
    {
        return (int)heap[2];
    }

    /** Removes every entry, keeping the array. */
    void clear()
    {
        size = 0;
    }

    /**
     * @param deadline the order's deadline.
     * @param order    the order id, the tie-breaker for equal deadlines.
     * @param row      the order's row in the order table.
     */
    void add(final long deadline, final long order, final int row)
    {
        if ((size + 1) * STRIDE > heap.length)
        {
            final long[] grown = new long[heap.length << 1];
            System.arraycopy(heap, 0, grown, 0, size * STRIDE);
            heap = grown;
        }
        final long[] heap = this.heap;
        int child = size++;
        while (child > 0)
        {
            final int parent = (child - 1) >>> 1;
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

    /** Removes the smallest entry; the queue must not be empty. */
    void removeTop()
    {
        final long[] heap = this.heap;
        final int last = --size;
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
            int child = (parent << 1) + 1;
            if (child >= last)
            {
                break;
            }
            int childAt = child * STRIDE;
            final int right = child + 1;
            if (right < last)
            {
                final int rightAt = right * STRIDE;
                if (less(heap[rightAt], heap[rightAt + 1], heap[childAt], heap[childAt + 1]))
                {
                    child = right;
                    childAt = rightAt;
                }
            }
            if (!less(heap[childAt], heap[childAt + 1], deadline, order))
            {
                break;
            }
            copy(heap, childAt, parent * STRIDE);
            parent = child;
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
