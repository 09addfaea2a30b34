package io.stockflow.engine.rules;

/**
 * A map from a positive {@code long} key to an {@code int} value (a row number in
 * the column arrays), by open addressing with linear probing.
 *
 * <p>Key and value sit side by side (key at {@code 2s}, value at {@code 2s + 1}) so
 * that a hit costs one cache miss rather than two; no boxing and no per-entry object.
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
 * <p><b>Growth without a pause.</b> The slots live in pages of {@value #PAGE_SLOTS}
 * (128 KiB): all allocated up front for the expected size, and in a grown table each
 * allocated when a key first lands in it. When the table would pass
 * {@value #MAX_LOAD_PERCENT}% full, a table of twice the slots takes over for new keys
 * and the old one is drained into it {@value #DRAIN_PER_CHANGE} slots at a time, on each
 * later insert or removal; until it is empty a lookup that misses in the new table
 * looks in the old one. So no call moves more than a few dozen entries or allocates more
 * than one page, where rehashing in one go would stop the logic stage for tens of
 * milliseconds per million keys and allocate one array the size of the table, which
 * the JVM zeroes in a step no safepoint can interrupt. Sizing it up front from the
 * expected count still avoids the drain altogether. Single-threaded.
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
    private static final int PAGE_BITS = 13;
    private static final int PAGE_SLOTS = 1 << PAGE_BITS;
    /**
     * Old-table slots moved per insert or removal while draining. The new table starts
     * {@value #MAX_LOAD_PERCENT}% of the old one's slots full, out of twice the slots, so it
     * reaches its own limit after as many inserts as the old table has keys: two slots per
     * insert would finish in time; sixteen finish long before.
     */
    private static final int DRAIN_PER_CHANGE = 16;
    /** Marks a key removed from the draining table before it was moved (keys are positive). */
    private static final long REMOVED = Long.MIN_VALUE;

    /** Where keys are inserted, and looked up first. */
    private Table table;
    /** The table being drained into {@link #table}, or null. Its slots below {@link #drained} were moved. */
    private Table draining;
    private int drained;
    private int size;

    /**
     * @param expectedSize how many keys to hold without growing.
     */
    LongIntIndex(final int expectedSize)
    {
        table = new Table(slotsFor(expectedSize), true);
    }

    /**
     * Reads the slot where a lookup of {@code key} begins, changing nothing: a read ahead
     * of {@link #get}, so that the cache miss it takes overlaps with others.
     *
     * @param key any value.
     * @return the key found there (only to keep the read).
     */
    long touch(final long key)
    {
        return key <= 0 ? 0 : table.key(table.home(key));
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
        final int value = table.get(key);
        if (value != MISSING)
        {
            return value;
        }
        final Table old = draining;
        if (old != null)
        {
            // Slots of the old table are never emptied while it drains (only marked REMOVED),
            // so its probe runs stay intact; an entry below the drain point was moved already,
            // and the new table answered for it.
            final int oldSlot = old.find(key);
            if (oldSlot >= drained)
            {
                return old.value(oldSlot);
            }
        }
        return MISSING;
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
        if (!putIfAbsent(key, value))
        {
            throw new IllegalArgumentException("key=" + key + " already present");
        }
    }

    /**
     * Inserts a key unless it is present: one probe run where a lookup then {@link #putNew} take two.
     *
     * @param key   a positive key.
     * @param value any non-negative value.
     * @return true if the key was inserted, false if it was present (nothing changed).
     * @throws IllegalArgumentException if the key is not positive.
     */
    boolean putIfAbsent(final long key, final int value)
    {
        if (key <= 0)
        {
            throw new IllegalArgumentException("key=" + key + " must be > 0");
        }
        if (draining != null)
        {
            drainSome();
        }
        if (size >= table.resizeAt)
        {
            startDrain();
        }
        // After the drain steps, so a key present anywhere is in exactly one place to look.
        if (draining != null && draining.find(key) >= drained || !table.insert(key, value))
        {
            return false;
        }
        size++;
        return true;
    }

    /**
     * Removes a key. Allocation-free.
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
        int value = table.remove(key);
        final Table old = draining;
        if (value == MISSING && old != null)
        {
            final int oldSlot = old.find(key);
            if (oldSlot >= drained)
            {
                value = old.value(oldSlot);
                old.markRemoved(oldSlot);
            }
        }
        if (value == MISSING)
        {
            return MISSING;
        }
        size--;
        if (old != null)
        {
            drainSome();
        }
        return value;
    }

    /** @return the number of slots, for tests and capacity reports. */
    int slots()
    {
        return table.slots();
    }

    /**
     * @param key a key {@code > 0}.
     * @return the slot of the current table where its probe begins: keys put in ascending home
     *         slot walk the table once from end to end (a bulk load, {@link OrderTable#indexRows}).
     */
    int homeSlot(final long key)
    {
        return table.home(key);
    }

    /** @return true while an old table is being drained, for tests. */
    boolean draining()
    {
        return draining != null;
    }

    /**
     * Grows the table, if needed, so that it holds {@code expectedSize} keys without
     * growing again. Moves every key at once: for a start or a recovery, not the hot path.
     *
     * @param expectedSize keys to hold.
     */
    void reserve(final int expectedSize)
    {
        final int slots = slotsFor(expectedSize);
        if (slots > table.slots())
        {
            finishDrain();
            draining = table;
            drained = 0;
            table = new Table(slots, true);
            finishDrain();
        }
    }

    private void startDrain()
    {
        // A drain still running here means inserts outpaced it: finish it before the next.
        finishDrain();
        final int slots = table.slots();
        if (slots >= MAX_SLOTS)
        {
            throw new IllegalStateException("index full: size=" + size + " slots=" + slots);
        }
        draining = table;
        drained = 0;
        table = new Table(slots << 1, false);
    }

    private void drainSome()
    {
        drainTo(Math.min(draining.slots(), drained + DRAIN_PER_CHANGE));
    }

    private void finishDrain()
    {
        if (draining != null)
        {
            drainTo(draining.slots());
        }
    }

    private void drainTo(final int end)
    {
        final Table old = draining;
        for (int slot = drained; slot < end; slot++)
        {
            final long key = old.key(slot);
            if (key > 0)
            {
                table.insert(key, old.value(slot));
            }
        }
        drained = end;
        if (end == old.slots())
        {
            draining = null;
            drained = 0;
        }
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

    /** One open-addressing table in pages; a page that was never written holds only empty slots. */
    private static final class Table
    {
        private final long[][] pages;
        private final int mask;
        private final int shift;
        private final int pageBits;
        private final int pageMask;
        final int resizeAt;

        /**
         * @param slots  a power of two.
         * @param filled true to allocate every page now (a table sized up front never allocates
         *               again), false to allocate each when a key first lands in it (a drain target,
         *               which the hot path grows into).
         */
        Table(final int slots, final boolean filled)
        {
            mask = slots - 1;
            shift = Long.SIZE - Integer.numberOfTrailingZeros(slots) + GROUP_BITS;
            pageBits = Math.min(PAGE_BITS, Integer.numberOfTrailingZeros(slots));
            pageMask = (1 << pageBits) - 1;
            pages = new long[slots >>> pageBits][];
            resizeAt = (int)((long)slots * MAX_LOAD_PERCENT / 100);
            if (filled)
            {
                for (int page = 0; page < pages.length; page++)
                {
                    pages[page] = new long[(pageMask + 1) << 1];
                }
            }
        }

        int slots()
        {
            return mask + 1;
        }

        private int home(final long key)
        {
            final int group = (int)(((key >>> GROUP_BITS) * FIBONACCI) >>> shift);
            return (group << GROUP_BITS) | ((int)key & (GROUP_SLOTS - 1));
        }

        long key(final int slot)
        {
            final long[] page = pages[slot >>> pageBits];
            return page == null ? 0 : page[(slot & pageMask) << 1];
        }

        int value(final int slot)
        {
            return (int)pages[slot >>> pageBits][((slot & pageMask) << 1) + 1];
        }

        private void set(final int slot, final long key, final long value)
        {
            long[] page = pages[slot >>> pageBits];
            if (page == null)
            {
                page = new long[(pageMask + 1) << 1];
                pages[slot >>> pageBits] = page;
            }
            page[(slot & pageMask) << 1] = key;
            page[((slot & pageMask) << 1) + 1] = value;
        }

        void markRemoved(final int slot)
        {
            pages[slot >>> pageBits][(slot & pageMask) << 1] = REMOVED;
        }

        /** @return the key's value, or {@link #MISSING}: the lookup of the hot path, one page read per probe. */
        int get(final long key)
        {
            final long[][] pages = this.pages;
            final int pageBits = this.pageBits;
            final int pageMask = this.pageMask;
            int slot = home(key);
            while (true)
            {
                final long[] page = pages[slot >>> pageBits];
                if (page == null)
                {
                    return MISSING;
                }
                final int at = (slot & pageMask) << 1;
                final long candidate = page[at];
                if (candidate == key)
                {
                    return (int)page[at + 1];
                }
                if (candidate == 0)
                {
                    return MISSING;
                }
                slot = (slot + 1) & mask;
            }
        }

        /** @return the key's slot, or {@link #MISSING}. */
        int find(final long key)
        {
            int slot = home(key);
            while (true)
            {
                final long candidate = key(slot);
                if (candidate == key)
                {
                    return slot;
                }
                if (candidate == 0)
                {
                    return MISSING;
                }
                slot = (slot + 1) & mask;
            }
        }

        /** @return false if the key was present already (nothing changed). */
        boolean insert(final long key, final int value)
        {
            int slot = home(key);
            while (true)
            {
                final long candidate = key(slot);
                if (candidate == 0)
                {
                    set(slot, key, value);
                    return true;
                }
                if (candidate == key)
                {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
        }

        /**
         * Removes a key, moving every later entry of its probe run that may move back
         * towards its home slot (backward-shift deletion), so later lookups stay correct
         * without tombstones.
         *
         * @return the key's value, or {@link #MISSING} if absent.
         */
        int remove(final long key)
        {
            int hole = find(key);
            if (hole == MISSING)
            {
                return MISSING;
            }
            final int value = value(hole);
            int next = hole;
            while (true)
            {
                next = (next + 1) & mask;
                final long moving = key(next);
                if (moving == 0)
                {
                    break;
                }
                final int home = home(moving);
                // The entry at next may fill the hole only if its home is not cyclically within (hole, next].
                final boolean staysPut = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
                if (!staysPut)
                {
                    set(hole, moving, value(next));
                    hole = next;
                }
            }
            set(hole, 0, 0);
            return value;
        }
    }
}
