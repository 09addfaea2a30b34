package io.stockflow.engine.rules;

/**
 * Read-only access to the rules' state, for queries, printing, snapshot capture,
 * hashing and tests. It has no mutating method and is not the state machine: a
 * query handed a view cannot change the state, whatever it does with it.
 *
 * <p>Reads see the live state: a view is valid only on the thread that owns the
 * rules (the logic stage, or whoever drives a replay), between two applies.
 * Lookups and visits allocate nothing.
 */
public interface StateView
{
    /** @return the number of journaled commands applied (restored count included). */
    long events();

    /** @return the sequence of the last applied command, 0 before any. */
    long lastSequence();

    /** @return the event time of the last applied command, 0 before any. */
    long eventTime();

    /**
     * @return the hash of the SKUs, the held orders (changedAt included) and the rule
     *         parameters (not the counters), kept current in O(1) per change; equal for
     *         any two states holding the same, however they got there.
     */
    long stateHash();

    /** @return the rule parameter retentionMs: 0 (never forget) or how long a settled order is held. */
    long retentionMs();

    /** @return the rule parameter orderCapacity: 0 (no limit) or the most orders held. */
    long orderCapacity();

    /** @return the rule parameter skuCapacity: 0 (no limit) or the most SKUs. */
    long skuCapacity();

    /** @return the orders forgotten so far (restored count included). */
    long ordersForgotten();

    /** @return PLACE commands rejected {@code LIMIT_EXCEEDED} at orderCapacity by these rules (not restored). */
    long orderCapacityRefusals();

    /** @return RESTOCK commands of a new SKU rejected {@code LIMIT_EXCEEDED} at skuCapacity by these rules (not restored). */
    long skuCapacityRefusals();

    /** @return entries in the retention queue, stale ones included. */
    int pendingRetentionEntries();

    /** @return the number of SKUs. */
    int skuCount();

    /** @return the number of held orders, in any status. */
    int orderCount();

    /** @return the number of order lines of the held orders. */
    int orderLineCount();

    /** @return entries in the expiry queue, stale ones (orders no longer RESERVED) included. */
    int pendingExpiryEntries();

    /**
     * @param sku any value.
     * @return true if the SKU exists.
     */
    boolean hasSku(long sku);

    /**
     * @param sku an existing SKU.
     * @return its units on hand.
     * @throws IllegalArgumentException if the SKU does not exist.
     */
    long onHand(long sku);

    /**
     * @param sku an existing SKU.
     * @return its units reserved.
     * @throws IllegalArgumentException if the SKU does not exist.
     */
    long reserved(long sku);

    /**
     * @param sku an existing SKU.
     * @return {@code onHand - reserved}.
     * @throws IllegalArgumentException if the SKU does not exist.
     */
    long available(long sku);

    /**
     * @param order any value.
     * @return true if an order with this id is held, in any status.
     */
    boolean hasOrder(long order);

    /**
     * @param order any value.
     * @return the order's status, or {@code null} if none is held with that id.
     */
    OrderStatus orderStatus(long order);

    /**
     * @param order a recorded order.
     * @return its account.
     * @throws IllegalArgumentException if the order was never recorded.
     */
    long orderAccount(long order);

    /**
     * @param order a recorded order.
     * @return its deadline while RESERVED, else 0.
     * @throws IllegalArgumentException if the order was never recorded.
     */
    long orderDeadline(long order);

    /**
     * @param order a held order.
     * @return the event time of its last status change.
     * @throws IllegalArgumentException if no order is held with that id.
     */
    long orderChangedAt(long order);

    /**
     * @param order a recorded order.
     * @return its lines, as a flyweight valid until the next call on this view.
     * @throws IllegalArgumentException if the order was never recorded.
     */
    OrderLines orderLines(long order);

    /**
     * Visits every SKU, in the order they were created; allocation-free.
     *
     * @param visitor receives each SKU.
     */
    void forEachSku(SkuVisitor visitor);

    /**
     * Visits every held order, in no particular order (rows are reused); allocation-free.
     * The lines handed to the visitor are a flyweight valid only during its call.
     *
     * @param visitor receives each order.
     */
    void forEachOrder(OrderVisitor visitor);

    /**
     * Checks the state's invariants in O(SKUs + orders), for tests and {@code verify}
     * (see {@link StateInvariants}). Allocates one scratch array.
     *
     * @throws IllegalStateException naming the first violation found.
     */
    void checkInvariants();
}
