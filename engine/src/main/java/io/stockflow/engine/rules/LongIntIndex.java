package io.stockflow.engine.rules;

/**
 * A map from a positive {@code long} key to an {@code int} value (a row number in
 * the column arrays), by open addressing with linear probing.
 *
 * <p>Key and value share one {@code long[]} (key at {@code 2s}, value at
 * {@code 2s + 1}) so that a hit costs one cache miss rather than two; no boxing
 * and no per-entry object, so millions of entries are a single array to the GC.
 *
 * <p>Slots come in groups of {@value #GROUP_SLOTS} (128 bytes): the group is the
 * top bits of {@code (key >>> 3) * 2^64/phi} (Fibonacci hashing), which spreads
 * sequential and strided ids evenly, and the key's low three bits pick the slot in
 * the group. Ids are mostly handed out in sequence, and the orders placed together
 * are also the ones shipped, cancelled and looked up together, so keeping eight
 * consecutive ids side by side makes inserting and finding them cost one cache line
 * per four ids rather than one per id. Key {@code 0} marks an empty slot,
 * which is why keys must be positive; ids in the rules always are. Removal
 * ({@link #remove}, for forgotten orders) shifts the entries after the removed one
 * back towards their home slots (backward-shift deletion), so the table never holds
 * tombstones: a probe still stops at the first empty slot, and a table whose keys
 * come and go stays as fast as one that only grows.
 *
 * <p>The table doubles when it would pass {@value #MAX_LOAD_PERCENT}% full;
 * sizing it up front from the expected count avoids that rehash on the hot path.
 * Single-threaded.
 */
final class LongIntIndex
{
    /** Returned by {@link #get(long)} for an absent key. */
    static final int MISSING = -1;

    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;
    private static final int GROUP_BITS = 3;
    private static final int GROUP_SLOTS = 1 << GROUP_BITS;
    private static final int MAX_LOAD_PERCENT = 60;
    private static final int MIN_SLOTS = 16;
    private static final int MAX_SLOTS = 1 << 29;

    private long[] table;
    private int shift;
    private int mask;
    private int size;
    private int resizeAt;

    /**
     * @param expectedSize how many keys to hold without growing.
     */
    LongIntIndex(final int expectedSize)
    {
        allocate(slotsFor(expectedSize));
    }

    /** @return the number of keys. */
    int size()
    {
        return size;
    }

    /**
     * @param key any value; keys {@code <= 0} are never present.
     * @return the value for {@code key}, or {@link #MISSING}.
     */
    int get(final long key)
    {
        if (key <= 0)
        {
            return MISSING;
        }
        final long[] table = this.table;
        int slot = slot(key);
        while (true)
        {
            final long candidate = table[slot << 1];
            if (candidate == key)
            {
                return (int)table[(slot << 1) + 1];
            }
            if (candidate == 0)
            {
                return MISSING;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Inserts a key that is not yet present.
     *
     * @param key   a positive key, absent from the map.
     * @param value any non-negative value.
     * @throws IllegalArgumentException if the key is not positive or already present.
     */
    void putNew(final long key, final int value)
    {
        if (key <= 0)
        {
            throw new IllegalArgumentException("key=" + key + " must be > 0");
        }
        if (size >= resizeAt)
        {
            grow();
        }
        final long[] table = this.table;
        int slot = slot(key);
        while (true)
        {
            final long candidate = table[slot << 1];
            if (candidate == 0)
            {
                table[slot << 1] = key;
                table[(slot << 1) + 1] = value;
                size++;
                return;
            }
            if (candidate == key)
            {
                throw new IllegalArgumentException("key=" + key + " already present");
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Removes a key, moving every later entry of its probe run that may move back
     * towards its home slot (backward-shift deletion), so later lookups stay correct
     * without tombstones. Allocation-free.
     *
     * @param key any value.
     * @return the value that was stored for {@code key}, or {@link #MISSING} if absent.
     */
    int remove(final long key)
    {
        if (key <= 0)
        {
            return MISSING;
        }
        final long[] table = this.table;
        final int mask = this.mask;
        int hole = slot(key);
        while (true)
        {
            final long candidate = table[hole << 1];
            if (candidate == key)
            {
                break;
            }
            if (candidate == 0)
            {
                return MISSING;
            }
            hole = (hole + 1) & mask;
        }
        final int value = (int)table[(hole << 1) + 1];
        int next = hole;
        while (true)
        {
            next = (next + 1) & mask;
            final long moving = table[next << 1];
            if (moving == 0)
            {
                break;
            }
            final int home = slot(moving);
            // The entry at next may fill the hole only if its home is not cyclically within (hole, next].
            final boolean staysPut = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
            if (!staysPut)
            {
                table[hole << 1] = moving;
                table[(hole << 1) + 1] = table[(next << 1) + 1];
                hole = next;
            }
        }
        table[hole << 1] = 0;
        table[(hole << 1) + 1] = 0;
        size--;
        return value;
    }

    /** @return the number of slots, for tests and capacity reports. */
    int slots()
    {
        return mask + 1;
    }

    private int slot(final long key)
    {
        final int group = (int)(((key >>> GROUP_BITS) * FIBONACCI) >>> shift);
        return (group << GROUP_BITS) | ((int)key & (GROUP_SLOTS - 1));
    }

    /**
     * Grows the table, if needed, so that it holds {@code expectedSize} keys without
     * growing again.
     *
     * @param expectedSize keys to hold.
     */
    void reserve(final int expectedSize)
    {
        final int slots = slotsFor(expectedSize);
        if (slots > mask + 1)
        {
            rehash(slots);
        }
    }

    private void grow()
    {
        final int oldSlots = mask + 1;
        if (oldSlots >= MAX_SLOTS)
        {
            throw new IllegalStateException("index full: size=" + size + " slots=" + oldSlots);
        }
        rehash(oldSlots << 1);
    }

    private void rehash(final int slots)
    {
        final long[] old = table;
        final int oldSlots = mask + 1;
        allocate(slots);
        final long[] table = this.table;
        for (int i = 0; i < oldSlots; i++)
        {
            final long key = old[i << 1];
            if (key != 0)
            {
                int slot = slot(key);
                while (table[slot << 1] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                table[slot << 1] = key;
                table[(slot << 1) + 1] = old[(i << 1) + 1];
            }
        }
    }

    private void allocate(final int slots)
    {
        table = new long[slots << 1];
        mask = slots - 1;
        shift = Long.SIZE - Integer.numberOfTrailingZeros(slots) + GROUP_BITS;
        resizeAt = (int)((long)slots * MAX_LOAD_PERCENT / 100);
    }

    private static int slotsFor(final int expectedSize)
    {
        if (expectedSize < 0)
        {
            throw new IllegalArgumentException("expectedSize=" + expectedSize + " must be >= 0");
        }
        final long wanted = Math.max(MIN_SLOTS, (long)expectedSize * 100 / MAX_LOAD_PERCENT + 1);
        if (wanted > MAX_SLOTS)
        {
            throw new IllegalArgumentException("expectedSize=" + expectedSize + " exceeds the index capacity");
        }
        return Integer.highestOneBit((int)wanted - 1) << 1;
    }
}
