package io.stockflow.engine.rules;

/**
 * The state hash's building blocks. The state is treated as a set of facts, one
 * per SKU and two per order, and the hash is the wrapping sum of a strong 64-bit
 * hash of each fact:
 *
 * <ul>
 *   <li>SKU fact: {@code (sku, onHand, reserved)};</li>
 *   <li>order identity fact: {@code (order, account, lines in PLACE order)}, fixed
 *       once the order is recorded;</li>
 *   <li>order status fact: {@code (order, status, deadline while RESERVED else 0, changedAt)}:
 *       changedAt decides when a settled order is forgotten, so two states that would
 *       forget differently hash differently;</li>
 *   <li>the rule parameters fact: {@code (retentionMs, orderCapacity, skuCapacity)}, one
 *       per state, absent while all three are 0.</li>
 * </ul>
 *
 * <p>A sum does not depend on the order entities were created in, and a change
 * costs O(1): subtract the old fact's hash, add the new one. Splitting an order in
 * two facts makes a status change touch only the status fact, never the lines.
 * Each fact hash chains the SplitMix64 finalizer over its fields from a per-kind
 * seed, so facts of different kinds never share a hash by construction. This is a
 * consistency check between engines, not a defence against crafted collisions.
 */
final class StateHashing
{
    private static final long SKU_SEED = 0x5354_4F43_4B53_4B55L;
    private static final long ORDER_SEED = 0x4F52_4445_5249_4431L;
    private static final long STATUS_SEED = 0x4F52_4445_5253_5432L;
    private static final long PARAMETERS_SEED = 0x5255_4C45_5350_4152L;

    private StateHashing()
    {
    }

    /**
     * @param sku      SKU id.
     * @param onHand   units on hand.
     * @param reserved units reserved.
     * @return the SKU fact's hash.
     */
    static long sku(final long sku, final long onHand, final long reserved)
    {
        return mix(mix(mix(SKU_SEED ^ sku) ^ onHand) ^ reserved);
    }

    /**
     * Starts an order identity fact; continue with {@link #orderLine} per line.
     *
     * @param order     order id.
     * @param account   account id.
     * @param lineCount number of lines.
     * @return the partial hash.
     */
    static long orderIdentityStart(final long order, final long account, final int lineCount)
    {
        return mix(mix(mix(ORDER_SEED ^ order) ^ account) ^ lineCount);
    }

    /**
     * @param hash  the partial hash so far.
     * @param sku   the line's SKU.
     * @param qty   the line's quantity.
     * @param price the line's price.
     * @return the partial hash including this line.
     */
    static long orderLine(final long hash, final long sku, final long qty, final long price)
    {
        return mix(mix(mix(hash ^ sku) ^ qty) ^ price);
    }

    /**
     * @param order      order id.
     * @param statusCode {@link OrderStatus#code()}.
     * @param deadline   the deadline while RESERVED, else 0.
     * @param changedAt  the event time of the order's last status change.
     * @return the order status fact's hash.
     */
    static long orderStatus(final long order, final int statusCode, final long deadline, final long changedAt)
    {
        return mix(mix(mix(mix(STATUS_SEED ^ order) ^ statusCode) ^ deadline) ^ changedAt);
    }

    /**
     * @param retentionMs   the retention parameter.
     * @param orderCapacity the order capacity parameter.
     * @param skuCapacity   the SKU capacity parameter.
     * @return the rule parameters fact's hash; 0 while all three are 0 (the state of a journal
     *         written before parameters existed): no fact then, so an empty state still hashes to 0.
     */
    static long parameters(final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        if ((retentionMs | orderCapacity | skuCapacity) == 0)
        {
            return 0;
        }
        return mix(mix(mix(PARAMETERS_SEED ^ retentionMs) ^ orderCapacity) ^ skuCapacity);
    }

    /**
     * SplitMix64's finalizer (Stafford variant 13): a bijection on 64 bits with full
     * avalanche, about 1 ns.
     */
    static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
