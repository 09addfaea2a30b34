package io.stockflow.engine.rules;

/**
 * Told of each reservation expiry as {@link FulfillmentRules#apply} performs it,
 * before the triggering command's own outcome is returned, in ascending
 * {@code (deadline, order)} order (docs/DOMAIN.md "Reservation expiry").
 *
 * <p>Called on the logic thread on the hot path: must not block, should not
 * allocate, and must not call back into the rules' mutating methods.
 */
@FunctionalInterface
public interface ExpiryListener
{
    /** A listener that ignores expiries, for replay and tools that only want the state. */
    ExpiryListener NONE = orderId ->
    {};

    /**
     * @param orderId the order that went from RESERVED to EXPIRED.
     */
    void onExpired(long orderId);
}
