package io.stockflow.engine.rules;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Loads a snapshot's entities into fresh rules: call {@link #restoreSku},
 * {@link #restoreOrder}, {@link #restoreParameters} and {@link #restoreCounters} in
 * any order, then {@link #complete()}, which links order lines to their SKUs, rebuilds
 * the expiry queue and the retention queue (settled orders in ascending changedAt), checks the
 * invariants ({@link StateInvariants#checkRestored}) and hands back the rules,
 * ready to apply the journal after the snapshot.
 *
 * <p>Keeping the restore protocol here leaves the state machine free of restore
 * flags: the rules given to a restorer must be fresh, whoever built them must not
 * apply anything until {@link #complete()} returns (an apply in between is detected
 * there and refused), and a restorer restores once.
 *
 * <p>{@link #complete()} may hand part of its work to one helper thread ({@link Threads}); the
 * rules are the calling thread's again when it returns.
 */
public final class StateRestorer
{
    /** Which threads {@link #complete()} runs on. */
    public enum Threads
    {
        /** The calling thread only: for a restore beside a running engine, such as the shadow state's. */
        CALLER,
        /**
         * The calling thread and one helper thread, which rebuilds the retention queue (sorts the settled
         * orders by the time they settled) while the caller indexes the orders, links their lines to
         * their SKUs, rebuilds the expiry queue and sums the orders' share of the state hash (each part
         * about half of the work): for a restore before the engine starts, when the
         * machine's other CPUs are idle. The helper starts with the caller's CPU mask (Linux gives a new
         * thread its creator's), so a caller pinned to one CPU gains nothing and loses nothing. Runs as
         * {@link #CALLER} on one CPU or for fewer than {@value StateRestorer#HELPER_MIN_ORDERS} orders.
         */
        CALLER_AND_HELPER
    }

    static final String HELPER_THREAD_NAME = "stockflow-restore-helper";
    /** Below this many orders a helper thread costs about what it saves. */
    static final int HELPER_MIN_ORDERS = 1 << 16;

    private static final int RESERVED = OrderStatus.RESERVED.code();
    private static final int RADIX_BITS = 11;
    private static final int RADIX = 1 << RADIX_BITS;
    private static final long RADIX_MASK = RADIX - 1;
    private static final int RADIX_SORT_MIN = 4_096;

    private final FulfillmentRules rules;
    private final FulfillmentState state;
    private final Threads threads;
    private long events;
    private long lastSequence;
    private long eventTime;
    private boolean completed;
    private boolean helped;

    /**
     * A restorer that runs on the calling thread only ({@link Threads#CALLER}).
     *
     * @param fresh rules that have applied and restored nothing.
     * @throws IllegalArgumentException if the rules are not fresh.
     */
    public StateRestorer(final FulfillmentRules fresh)
    {
        this(fresh, Threads.CALLER);
    }

    /**
     * @param fresh   rules that have applied and restored nothing.
     * @param threads the threads {@link #complete()} may run on.
     * @throws IllegalArgumentException if the rules are not fresh.
     */
    public StateRestorer(final FulfillmentRules fresh, final Threads threads)
    {
        this.rules = Objects.requireNonNull(fresh, "fresh");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.state = fresh.state();
        if (!state.isEmpty())
        {
            throw new IllegalArgumentException("restore into rules that are not fresh: events=" + state.events
                + " skus=" + state.skus.count() + " orders=" + state.orders.count());
        }
        state.orders.deferIndexingAndHashing();
    }

    /**
     * Restores one SKU.
     *
     * @param sku      a new SKU id, &gt; 0.
     * @param onHand   units on hand.
     * @param reserved units reserved; {@code 0 <= reserved <= onHand <= 10^12}.
     * @throws IllegalArgumentException if a value is out of range or the SKU was already restored.
     * @throws IllegalStateException    if this restore has completed.
     */
    public void restoreSku(final long sku, final long onHand, final long reserved)
    {
        ensureOpen();
        if (sku <= 0 || reserved < 0 || reserved > onHand || onHand > Limits.MAX_ON_HAND)
        {
            throw new IllegalArgumentException(
                "sku=" + sku + " onHand=" + onHand + " reserved=" + reserved + " out of range");
        }
        if (state.skus.find(sku) >= 0)
        {
            throw new IllegalArgumentException("sku=" + sku + " restored twice");
        }
        state.skus.add(sku, onHand, reserved);
    }

    /**
     * Restores one order. The arrays are read, not kept, so a caller can reuse them
     * for every order.
     *
     * @param order     a new order id, &gt; 0.
     * @param account   its account, &gt; 0.
     * @param status    its status.
     * @param deadline  its deadline if RESERVED; ignored (stored as 0) otherwise.
     * @param changedAt the event time of its last status change, {@code >= 0}.
     * @param lineCount 1 to {@link Limits#MAX_LINES}.
     * @param skus      the lines' SKUs, distinct, from index 0.
     * @param qtys      the lines' quantities.
     * @param prices    the lines' prices.
     * @throws IllegalArgumentException if a value breaks the PLACE limits (an order restored twice is
     *                                  refused by {@link #complete()}).
     * @throws IllegalStateException    if this restore has completed.
     */
    public void restoreOrder(
        final long order,
        final long account,
        final OrderStatus status,
        final long deadline,
        final long changedAt,
        final int lineCount,
        final long[] skus,
        final long[] qtys,
        final long[] prices)
    {
        ensureOpen();
        Objects.requireNonNull(status, "status");
        if (order <= 0 || account <= 0 || lineCount < 1 || lineCount > Limits.MAX_LINES || changedAt < 0)
        {
            throw new IllegalArgumentException("order=" + order + " account=" + account + " lineCount=" + lineCount +
                " changedAt=" + changedAt + " out of range");
        }
        for (int i = 0; i < lineCount; i++)
        {
            if (FulfillmentRules.invalidLine(skus[i], qtys[i], prices[i]) || duplicateSku(skus, i))
            {
                throw new IllegalArgumentException("order=" + order + " line=" + i + " sku=" + skus[i] +
                    " qty=" + qtys[i] + " price=" + prices[i] + " invalid or duplicate");
            }
        }
        // Indexed, and checked for an id restored twice, all at once by complete().
        final OrderTable orders = state.orders;
        final int firstLine = orders.takeLines(lineCount);
        for (int i = 0; i < lineCount; i++)
        {
            orders.setLine(firstLine + i, skus[i], qtys[i], prices[i], LongIntIndex.MISSING);
        }
        orders.add(order, account, status, deadline, changedAt, firstLine, lineCount);
    }

    /**
     * Sizes the order tables, the expiry queue and the retention queue for the orders about to be
     * restored, before the first one, so that a restore of millions of orders does not grow them a
     * page and an index drain at a time.
     *
     * @param orders the orders the snapshot holds, {@code 0..Integer.MAX_VALUE}.
     * @throws IllegalStateException if an order was restored already or this restore has completed.
     */
    public void expectOrders(final long orders)
    {
        ensureOpen();
        if (state.orders.rowLimit() != 0)
        {
            throw new IllegalStateException("expectOrders after " + state.orders.rowLimit() + " orders were restored");
        }
        rules.reserveOrders((int)Math.min(Integer.MAX_VALUE, Math.max(0, orders)));
    }

    /**
     * Restores the snapshot's rule parameters and its count of forgotten orders; without
     * this call they stay 0 (a snapshot written before parameters existed).
     *
     * @param retentionMs     0 or 60000..31536000000.
     * @param orderCapacity   0..268435456.
     * @param skuCapacity     0..16777216.
     * @param ordersForgotten orders forgotten before the snapshot, {@code >= 0}.
     * @throws IllegalArgumentException if a value is out of range.
     * @throws IllegalStateException    if this restore has completed.
     */
    public void restoreParameters(
        final long retentionMs, final long orderCapacity, final long skuCapacity, final long ordersForgotten)
    {
        ensureOpen();
        FulfillmentRules.checkParameters(retentionMs, orderCapacity, skuCapacity);
        if (ordersForgotten < 0)
        {
            throw new IllegalArgumentException("ordersForgotten=" + ordersForgotten + " must be >= 0");
        }
        state.retentionMs = retentionMs;
        state.orderCapacity = orderCapacity;
        state.skuCapacity = skuCapacity;
        state.ordersForgotten = ordersForgotten;
    }

    /**
     * Restores the snapshot's counts of commands refused by each capacity ({@code LIMIT_EXCEEDED}),
     * so the engine's refusal counters read the same after a restart from a snapshot as after a full
     * replay; without this call they stay 0 (a snapshot written before they were kept).
     *
     * @param orderCapacityRefusals PLACEs refused by the order capacity, {@code >= 0}.
     * @param skuCapacityRefusals   RESTOCKs refused by the SKU capacity, {@code >= 0}.
     * @throws IllegalArgumentException if a count is negative.
     * @throws IllegalStateException    if this restore has completed.
     */
    public void restoreCapacityRefusals(final long orderCapacityRefusals, final long skuCapacityRefusals)
    {
        ensureOpen();
        if (orderCapacityRefusals < 0 || skuCapacityRefusals < 0)
        {
            throw new IllegalArgumentException("orderCapacityRefusals=" + orderCapacityRefusals
                + " and skuCapacityRefusals=" + skuCapacityRefusals + " must be >= 0");
        }
        state.orderCapacityRefusals = orderCapacityRefusals;
        state.skuCapacityRefusals = skuCapacityRefusals;
    }

    /**
     * Restores the snapshot's counters; without this call they stay 0.
     *
     * @param events       journaled commands applied, &gt;= 0.
     * @param lastSequence the last one's sequence, &gt;= 0.
     * @param eventTime    the last one's event time.
     * @throws IllegalArgumentException if a count is negative.
     * @throws IllegalStateException    if this restore has completed.
     */
    public void restoreCounters(final long events, final long lastSequence, final long eventTime)
    {
        ensureOpen();
        if (events < 0 || lastSequence < 0)
        {
            throw new IllegalArgumentException("events=" + events + " lastSequence=" + lastSequence + " must be >= 0");
        }
        this.events = events;
        this.lastSequence = lastSequence;
        this.eventTime = eventTime;
    }

    /**
     * Finishes the restore: indexes the orders, links order lines to their SKUs, rebuilds the
     * expiry queue from the RESERVED orders, installs the counters and checks every invariant.
     * Also valid with nothing restored.
     *
     * @return the restored rules, ready to apply the event after {@code lastSequence}.
     * @throws IllegalStateException if the restored state is inconsistent (an order restored twice
     *                               included), the rules applied an event during the restore, or
     *                               this restore completed already.
     */
    public FulfillmentRules complete()
    {
        ensureOpen();
        completed = true;
        if (state.events != 0 || state.clock.lastSequence() != 0)
        {
            throw new IllegalStateException("the rules applied events during the restore: events=" + state.events);
        }
        final OrderTable orders = state.orders;
        // The retention queue's rebuild reads the orders' rows only; the caller's part writes the index,
        // the lines and the expiry queue, none of which it reads.
        final FutureTask<Void> settledQueued =
            new FutureTask<>(() -> queueSettledInSettleOrder(orders, state.settled), null);
        Thread helper = null;
        if (threads == Threads.CALLER_AND_HELPER && orders.count() >= HELPER_MIN_ORDERS &&
            Runtime.getRuntime().availableProcessors() > 1)
        {
            helper = new Thread(settledQueued, HELPER_THREAD_NAME);
            helper.setDaemon(true);
            helper.start();
            helped = true;
        }
        else
        {
            settledQueued.run();
        }
        Throwable failure = null;
        try
        {
            indexOrdersAndQueueExpiries();
            orders.endHashDeferral();
        }
        catch (final RuntimeException | Error e)
        {
            failure = e;
        }
        // Awaited even when the caller's part failed: no helper outlives the restore.
        awaitHelper(helper, settledQueued, failure);
        state.events = events;
        state.clock.resumeAfter(lastSequence, eventTime);
        StateInvariants.checkRestored(state);
        return rules;
    }

    /**
     * {@link #complete()} and check the result against the snapshot's hash.
     *
     * @param expectedStateHash the hash recorded with the snapshot.
     * @return the restored rules.
     * @throws IllegalStateException if the state is inconsistent or its hash differs.
     */
    public FulfillmentRules complete(final long expectedStateHash)
    {
        final FulfillmentRules restored = complete();
        final long hash = state.stateHash();
        if (hash != expectedStateHash)
        {
            throw new IllegalStateException(
                "restored stateHash=" + Long.toHexString(hash) + " expected=" + Long.toHexString(expectedStateHash));
        }
        return restored;
    }

    /** @return true if {@link #complete()} ran part of its work on a helper thread. */
    boolean completedWithHelper()
    {
        return helped;
    }

    /**
     * Indexes the orders (refusing an id restored twice), links their lines to their SKUs and
     * rebuilds the expiry queue from the RESERVED orders.
     */
    private void indexOrdersAndQueueExpiries()
    {
        final SkuTable skus = state.skus;
        final OrderTable orders = state.orders;
        final long heldTwice = orders.indexRows();
        if (heldTwice != 0)
        {
            throw new IllegalStateException("order=" + heldTwice + " restored twice");
        }
        for (int row = 0, count = orders.rowLimit(); row < count; row++)
        {
            final boolean rejected = orders.statusCode(row) == OrderStatus.REJECTED.code();
            final int first = orders.firstLine(row);
            for (int line = first, end = first + orders.lineCount(row); line < end; line++)
            {
                final int skuRow = skus.find(orders.lineSku(line));
                if (skuRow < 0 && !rejected)
                {
                    throw new IllegalStateException("order=" + orders.id(row) + " names unknown sku=" +
                        orders.lineSku(line) + " in status " + OrderStatus.fromCode(orders.statusCode(row)));
                }
                orders.setLineSkuRow(line, skuRow);
            }
        }
        final ExpiryQueue expiries = state.expiries;
        expiries.clear();
        for (int row = 0, count = orders.rowLimit(); row < count; row++)
        {
            if (orders.statusCode(row) == RESERVED)
            {
                expiries.add(orders.deadline(row), orders.id(row), row);
            }
        }
    }

    /**
     * Waits until the helper thread has ended, uninterruptibly (the rules are unusable until then), and
     * rethrows the caller's failure if there was one, else the helper's part's.
     *
     * @param helper        the helper thread, or null when the part ran on the calling thread.
     * @param helperPart    the part, done once this returns.
     * @param callerFailure what the caller's part threw, or null.
     */
    private static void awaitHelper(final Thread helper, final FutureTask<Void> helperPart,
        final Throwable callerFailure)
    {
        boolean interrupted = false;
        try
        {
            while (helper != null && helper.isAlive())
            {
                try
                {
                    helper.join();
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
            // The part is done, so this does not wait.
            helperPart.get();
        }
        catch (final InterruptedException e)
        {
            interrupted = true;
        }
        catch (final ExecutionException e)
        {
            if (callerFailure != null)
            {
                callerFailure.addSuppressed(e.getCause());
                rethrow(callerFailure);
            }
            rethrow(e.getCause());
            throw new IllegalStateException("restore helper failed: " + e.getCause(), e.getCause());
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        rethrow(callerFailure);
    }

    /** Throws a runtime exception or error as it is; does nothing for null or a checked exception. */
    private static void rethrow(final Throwable failure)
    {
        if (failure instanceof RuntimeException)
        {
            throw (RuntimeException)failure;
        }
        if (failure instanceof Error)
        {
            throw (Error)failure;
        }
    }

    /** Rebuilds the retention queue: every settled order, in ascending changedAt (the order they settled in). */
    private static void queueSettledInSettleOrder(final OrderTable orders, final RetentionQueue settled)
    {
        settled.clear();
        int settledCount = 0;
        final int[] rows = new int[orders.count()];
        for (int row = 0, limit = orders.rowLimit(); row < limit; row++)
        {
            if (orders.isHeld(row) && orders.statusCode(row) != RESERVED)
            {
                rows[settledCount++] = row;
            }
        }
        final long[] keys = new long[settledCount];
        for (int i = 0; i < settledCount; i++)
        {
            keys[i] = orders.changedAt(rows[i]);
        }
        final int[] sorted = sortByKey(rows, keys, settledCount);
        settled.reserve(settledCount);
        for (int i = 0; i < settledCount; i++)
        {
            final int row = sorted[i];
            settled.add(orders.changedAt(row), orders.id(row), row);
        }
    }

    /**
     * {@code rows[0, n)} sorted by {@code keys} (parallel), ties in their given order. When each
     * key's offset from the smallest and its index fit in one {@code long} together (always
     * below 32,768 rows, and whenever the keys span less than {@code 2^(63 - log2 n)} ms), the
     * pairs are sorted as packed primitives, sequentially in memory; otherwise by
     * {@link #mergeSortByKey}. Restoring a snapshot of millions of settled orders spent a third
     * of its time in the indirect merge sort's cache misses.
     */
    static int[] sortByKey(final int[] rows, final long[] keys, final int n)
    {
        if (n == 0)
        {
            return new int[0];
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++)
        {
            min = Math.min(min, keys[i]);
            max = Math.max(max, keys[i]);
        }
        final int indexBits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
        final int keyBits = 64 - Long.numberOfLeadingZeros(max - min);
        if (max - min < 0 || keyBits + indexBits > 63)
        {
            return mergeSortByKey(rows, keys, n);
        }
        final long[] packed = new long[n];
        for (int i = 0; i < n; i++)
        {
            packed[i] = (keys[i] - min) << indexBits | i;
        }
        sortPacked(packed, keyBits + indexBits);
        final long indexMask = (1L << indexBits) - 1;
        final int[] sorted = new int[n];
        for (int i = 0; i < n; i++)
        {
            sorted[i] = rows[(int)(packed[i] & indexMask)];
        }
        return sorted;
    }

    /**
     * Sorts non-negative values below {@code 2^bits} ascending: a least-significant-digit radix sort,
     * {@value #RADIX_BITS} bits a pass, from {@value #RADIX_SORT_MIN} values up. A restore sorts every
     * settled order once, cold: 1.3 million took 80 ms (135 ms before the JIT compiled it) in
     * {@link Arrays#sort(long[])} and 20 to 40 ms in four radix passes.
     */
    static void sortPacked(final long[] values, final int bits)
    {
        if (values.length < RADIX_SORT_MIN)
        {
            Arrays.sort(values);
            return;
        }
        long[] from = values;
        long[] to = new long[values.length];
        final int[] starts = new int[RADIX + 1];
        for (int shift = 0; shift < bits; shift += RADIX_BITS)
        {
            Arrays.fill(starts, 0);
            for (final long value : from)
            {
                starts[(int)(value >>> shift & RADIX_MASK) + 1]++;
            }
            for (int digit = 0; digit < RADIX; digit++)
            {
                starts[digit + 1] += starts[digit];
            }
            for (final long value : from)
            {
                to[starts[(int)(value >>> shift & RADIX_MASK)]++] = value;
            }
            final long[] swap = from;
            from = to;
            to = swap;
        }
        if (from != values)
        {
            System.arraycopy(from, 0, values, 0, values.length);
        }
    }

    /** A stable merge sort of {@code rows[0, n)} by {@code keys} (parallel), without boxing. */
    static int[] mergeSortByKey(final int[] rows, final long[] keys, final int n)
    {
        int[] from = new int[n];
        int[] to = new int[n];
        for (int i = 0; i < n; i++)
        {
            from[i] = i;
        }
        for (int width = 1; width < n; width <<= 1)
        {
            for (int low = 0; low < n; low += width << 1)
            {
                final int mid = Math.min(low + width, n);
                final int high = Math.min(low + (width << 1), n);
                int left = low;
                int right = mid;
                for (int out = low; out < high; out++)
                {
                    if (left < mid && (right >= high || keys[from[left]] <= keys[from[right]]))
                    {
                        to[out] = from[left++];
                    }
                    else
                    {
                        to[out] = from[right++];
                    }
                }
            }
            final int[] swap = from;
            from = to;
            to = swap;
        }
        final int[] sorted = new int[n];
        for (int i = 0; i < n; i++)
        {
            sorted[i] = rows[from[i]];
        }
        return sorted;
    }

    private void ensureOpen()
    {
        if (completed)
        {
            throw new IllegalStateException("restore already completed");
        }
    }

    private static boolean duplicateSku(final long[] skus, final int index)
    {
        for (int j = 0; j < index; j++)
        {
            if (skus[j] == skus[index])
            {
                return true;
            }
        }
        return false;
    }
}
