package io.stockflow.engine.rules;

/**
 * The state the rules own: the SKU and order tables, the expiry and retention queues,
 * the rule parameters, the count of applied events and of forgotten orders, and the
 * {@link EventClock}. Package-private so that only the rules
 * ({@link FulfillmentRules}) write it, the {@link StateRestorer} fills it before it
 * goes live, and {@link FulfillmentStateView} and {@link StateInvariants} read it;
 * nothing outside this package reaches the mutable tables. Single-threaded.
 */
final class FulfillmentState
{
    private static final int EXPECTED_LINES_PER_ORDER = 2;

    final SkuTable skus;
    final OrderTable orders;
    final ExpiryQueue expiries;
    final RetentionQueue settled;
    final EventClock clock = new EventClock();
    long events;
    long retentionMs;
    long orderCapacity;
    long skuCapacity;
    long ordersForgotten;
    long orderCapacityRefusals;
    long skuCapacityRefusals;

    /**
     * @param expectedSkus   SKUs to hold without growing, {@code >= 0}.
     * @param expectedOrders orders to hold without growing (lines: twice that), {@code >= 0}.
     */
    FulfillmentState(final int expectedSkus, final int expectedOrders)
    {
        if (expectedSkus < 0 || expectedOrders < 0)
        {
            throw new IllegalArgumentException(
                "expectedSkus=" + expectedSkus + " expectedOrders=" + expectedOrders + " must be >= 0");
        }
        skus = new SkuTable(expectedSkus);
        orders = new OrderTable(expectedOrders, linesFor(expectedOrders));
        // Lazy deletion keeps an entry per order placed within a TTL of the newest event time, so size
        // the queue like the orders: capping it made a warm engine grow it on the logic thread.
        expiries = new ExpiryQueue(expectedOrders);
        settled = new RetentionQueue(expectedOrders);
    }

    /** @return the hash of the SKUs, the held orders and the rule parameters, kept current in O(1) per change. */
    long stateHash()
    {
        return skus.hash() + orders.hash() + StateHashing.parameters(retentionMs, orderCapacity, skuCapacity);
    }

    /** @return the hash {@link #stateHash()} should be, recomputed from every row. */
    long recomputeHash()
    {
        return skus.recomputeHash() + orders.recomputeHash() +
            StateHashing.parameters(retentionMs, orderCapacity, skuCapacity);
    }

    /** @return true if nothing was applied or restored into this state yet. */
    boolean isEmpty()
    {
        return events == 0 && clock.lastSequence() == 0 && skus.count() == 0 && orders.rowLimit() == 0;
    }

    /**
     * @param expectedOrders orders to hold; {@code >= 0}.
     * @see FulfillmentRules#reserveOrders(int)
     */
    void reserveOrders(final int expectedOrders)
    {
        if (expectedOrders < 0)
        {
            throw new IllegalArgumentException("expectedOrders=" + expectedOrders + " must be >= 0");
        }
        orders.reserve(expectedOrders, linesFor(expectedOrders));
        expiries.reserve(expectedOrders);
        settled.reserve(expectedOrders);
    }

    private static int linesFor(final int expectedOrders)
    {
        return (int)Math.min(Integer.MAX_VALUE / 4, (long)expectedOrders * EXPECTED_LINES_PER_ORDER);
    }
}
