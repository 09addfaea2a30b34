package io.stockflow.engine.rules;

/**
 * The state's invariants, checked in O(SKUs + orders) after a restore, by
 * {@code verify} and by tests; never on the hot path (allocates one scratch array):
 *
 * <ul>
 *   <li>{@code 0 <= reserved <= onHand <= 10^12} for every SKU;</li>
 *   <li>each SKU's reserved count equals the sum of its RESERVED orders' line quantities;</li>
 *   <li>every RESERVED order's deadline is after the last event time;</li>
 *   <li>no held order changed status after the last event time;</li>
 *   <li>the incremental state hash equals one recomputed from scratch (not after a restore: see
 *   {@link #checkRestored}).</li>
 * </ul>
 */
final class StateInvariants
{
    private static final int RESERVED = OrderStatus.RESERVED.code();

    private StateInvariants()
    {
    }

    /**
     * @param state the state to check; its order lines linked to their SKU rows.
     * @throws IllegalStateException naming the first violation found.
     */
    static void check(final FulfillmentState state)
    {
        checkRestored(state);
        final long recomputed = state.recomputeHash();
        if (recomputed != state.stateHash())
        {
            throw new IllegalStateException("incremental stateHash=" + Long.toHexString(state.stateHash()) +
                " recomputed=" + Long.toHexString(recomputed));
        }
    }

    /**
     * Every invariant but the recomputed hash, for a state a {@link StateRestorer} just built: its
     * incremental hash is the sum, over the very rows a recompute would read, of what each
     * restored entity added, so a recompute cannot differ from it; what can (a snapshot whose
     * entities do not give the hash it was written with) is the loader's check against the
     * recorded hash. The recompute was a tenth of a snapshot load.
     *
     * @param state the restored state; its order lines linked to their SKU rows.
     * @throws IllegalStateException naming the first violation found.
     */
    static void checkRestored(final FulfillmentState state)
    {
        final SkuTable skus = state.skus;
        final OrderTable orders = state.orders;
        final long eventTime = state.clock.lastEventTime();
        final int skuCount = skus.count();
        for (int row = 0; row < skuCount; row++)
        {
            final long onHand = skus.onHand(row);
            final long reserved = skus.reserved(row);
            if (reserved < 0 || reserved > onHand || onHand > Limits.MAX_ON_HAND)
            {
                throw new IllegalStateException(
                    "sku=" + skus.id(row) + " onHand=" + onHand + " reserved=" + reserved
                        + " breaks 0<=reserved<=onHand<=10^12");
            }
        }
        final long[] reservedBySku = new long[skuCount];
        for (int row = 0, limit = orders.rowLimit(); row < limit; row++)
        {
            if (orders.isHeld(row) && orders.changedAt(row) > eventTime && state.events > 0)
            {
                throw new IllegalStateException("order=" + orders.id(row) + " changedAt=" + orders.changedAt(row) +
                    " after eventTime=" + eventTime);
            }
            if (orders.isHeld(row) && orders.statusCode(row) == RESERVED)
            {
                final long deadline = orders.deadline(row);
                if (state.events > 0 && deadline <= eventTime && deadline != Long.MAX_VALUE)
                {
                    throw new IllegalStateException("order=" + orders.id(row) + " RESERVED with deadline=" + deadline +
                        " not after eventTime=" + eventTime);
                }
                final int first = orders.firstLine(row);
                for (int line = first, end = first + orders.lineCount(row); line < end; line++)
                {
                    reservedBySku[orders.lineSkuRow(line)] += orders.lineQty(line);
                }
            }
        }
        for (int row = 0; row < skuCount; row++)
        {
            if (reservedBySku[row] != skus.reserved(row))
            {
                throw new IllegalStateException("sku=" + skus.id(row) + " reserved=" + skus.reserved(row) +
                    " but its RESERVED orders hold " + reservedBySku[row]);
            }
        }
    }
}
