package io.stockflow.engine.pipeline;

import io.stockflow.engine.command.CommandView;

/**
 * A seam for tests: called on the logic thread just before the rules apply a
 * command, and at the same point by replay, inside the same failure handling. An
 * exception it throws is treated exactly as one thrown by the rules, which is how
 * the tests exercise the {@code LogicFailurePolicy} (the rules themselves are
 * meant never to throw, and offer no input that makes them).
 *
 * <p>Production engines use {@link #NONE}; the engine exposes the seam only to
 * code in its own package.
 */
@FunctionalInterface
public interface ApplyProbe
{
    /** Does nothing. */
    ApplyProbe NONE = (sequence, command) ->
    {};

    /**
     * @param sequence the command's journal sequence.
     * @param command  the command about to be applied.
     */
    void beforeApply(long sequence, CommandView command);
}
