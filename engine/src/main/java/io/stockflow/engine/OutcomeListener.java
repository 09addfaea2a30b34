package io.stockflow.engine;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;

/**
 * Receives every journaled command's result and every reservation expiry, in
 * sequence order, on the outcome stage's thread, and only once the event is in
 * the journal at the engine's configured durability.
 *
 * <p>Called on the hot path: implementations must not block and should not
 * allocate. Expiries triggered by an event are reported before that event's own
 * result, in ascending {@code (deadline, order)} order, carrying the triggering
 * event's sequence.
 */
public interface OutcomeListener
{
    /**
     * @param sequence     the command's journal sequence.
     * @param eventTimeMs  its event time.
     * @param type         the command type.
     * @param entityId     the order id for order commands, the SKU for RESTOCK and ADJUST.
     * @param rejectReason null when accepted, otherwise why it was rejected.
     * @param logicError   true when the rules threw on this event and the engine runs
     *                     with {@link LogicFailurePolicy#RECORD_AND_CONTINUE}.
     */
    void onResult(long sequence, long eventTimeMs, CommandType type, long entityId, RejectReason rejectReason,
        boolean logicError);

    /**
     * @param sequence the sequence of the event whose time made the order expire.
     * @param orderId  the order that expired.
     */
    default void onOrderExpired(final long sequence, final long orderId)
    {
    }
}
