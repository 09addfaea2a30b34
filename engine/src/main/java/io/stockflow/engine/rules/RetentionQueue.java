package io.stockflow.engine.rules;

/**
 * The settled orders in the order they settled, for forgetting (docs/DOMAIN.md
 * "Order retention"): a FIFO of {@code (changedAt, order id, row)} entries in a ring of
 * longs. Event time never goes backwards, so entries are appended in ascending
 * {@code changedAt} and the head is always the next order due, whatever the retention
 * is now: a lower retention only makes more of the head due.
 *
 * <p>An order that changes status again (SHIP, then DELIVER, then RETURN) gets a new
 * entry and leaves its old one behind; an old entry is stale when its row no longer
 * holds that id with that {@code changedAt} (the order moved on, or was forgotten and
 * its row or id reused), and is dropped when it reaches the head. Each held order has
 * at most four entries, so the ring follows the orders held. It grows by doubling when
 * it holds more entries than ever before, and never otherwise. Single-threaded.
 */
final class RetentionQueue
{
    private static final int STRIDE = 3;
    private static final int MIN_CAPACITY = 16;

    private long[] ring;
    private int mask;
    private long head;
    private long tail;

    /**
     * @param expectedSize entries to hold without growing.
     */
    RetentionQueue(final int expectedSize)
    {
        allocate(capacityFor(expectedSize));
    }

    /**
     * Grows the ring, if needed, so that this many entries fit without growing again.
     *
     * @param expectedSize entries to hold.
     */
    void reserve(final int expectedSize)
    {
        final int capacity = capacityFor(expectedSize);
        if (capacity > mask + 1)
        {
            resize(capacity);
        }
    }

    /** @return true if no entry is queued. */
    boolean isEmpty()
    {
        return head == tail;
    }

    /** @return the number of entries, stale ones included. */
    int size()
    {
        return (int)(tail - head);
    }

    /** @return the head entry's changedAt; undefined when empty. */
    long peekChangedAt()
    {
        return ring[at(head)];
    }

    /** @return the head entry's order id; undefined when empty. */
    long peekOrder()
    {
        return ring[at(head) + 1];
    }

    /** @return the head entry's row; undefined when empty. */
    int peekRow()
    {
        return (int)ring[at(head) + 2];
    }

    /** Removes the head entry; the queue must not be empty. */
    void removeHead()
    {
        head++;
    }

    /**
     * @param changedAt the event time the order settled or changed status at, not below any queued one.
     * @param order     the order id.
     * @param row       its row.
     */
    void add(final long changedAt, final long order, final int row)
    {
        if (tail - head == mask + 1)
        {
            resize((mask + 1) << 1);
        }
        final int at = at(tail++);
        ring[at] = changedAt;
        ring[at + 1] = order;
        ring[at + 2] = row;
    }

    /** Removes every entry, keeping the ring. */
    void clear()
    {
        head = 0;
        tail = 0;
    }

    private int at(final long position)
    {
        return ((int)position & mask) * STRIDE;
    }

    private void resize(final int capacity)
    {
        final long[] fresh = new long[capacity * STRIDE];
        final int size = size();
        for (int i = 0; i < size; i++)
        {
            System.arraycopy(ring, at(head + i), fresh, i * STRIDE, STRIDE);
        }
        ring = fresh;
        mask = capacity - 1;
        head = 0;
        tail = size;
    }

    private void allocate(final int capacity)
    {
        ring = new long[capacity * STRIDE];
        mask = capacity - 1;
    }

    private static int capacityFor(final int expectedSize)
    {
        final int wanted = Math.max(MIN_CAPACITY, expectedSize);
        return wanted > (1 << 29) ? 1 << 30 : Integer.highestOneBit(wanted - 1) << 1;
    }
}
