package io.stockflow.engine;

/**
 * What the engine does when the business rules throw: a rule violation is a
 * {@code REJECTED} outcome, so an exception from the rules is a bug.
 *
 * <p>Replay applies the same policy, so a recovered engine reaches the same
 * state at the same event whichever is chosen.
 */
public enum LogicFailurePolicy
{
    /** Halt the engine at the failing event: its outcome is never released. The default. */
    HALT,

    /**
     * Record the failure as that event's outcome ({@code LOGIC_ERROR}), count it,
     * and go on with the next event.
     */
    RECORD_AND_CONTINUE
}
