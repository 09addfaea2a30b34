package io.stockflow.engine.rules;

/**
 * Receives each SKU from {@link StateView#forEachSku}, for snapshots and
 * state printing without allocation.
 */
@FunctionalInterface
public interface SkuVisitor
{
    /**
     * @param sku      the SKU id.
     * @param onHand   units on hand.
     * @param reserved units reserved by RESERVED orders.
     */
    void visitSku(long sku, long onHand, long reserved);
}
