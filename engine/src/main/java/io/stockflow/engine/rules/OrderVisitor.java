package io.stockflow.engine.rules;

/**
 * Receives each held order from {@link StateView#forEachOrder}, for
 * snapshots and state printing without allocation.
 */
@FunctionalInterface
public interface OrderVisitor
{
    /**
     * @param order    the order id.
     * @param account  the account that placed it.
     * @param status   its status.
     * @param deadline  its expiry deadline while RESERVED; 0 in every other status.
     * @param changedAt the event time of its last status change (docs/DOMAIN.md "Order retention").
     * @param lines     its lines: a flyweight valid only during this call.
     */
    void visitOrder(long order, long account, OrderStatus status, long deadline, long changedAt, OrderLines lines);
}
