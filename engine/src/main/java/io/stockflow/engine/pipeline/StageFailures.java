package io.stockflow.engine.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import io.stockflow.journal.JournalException;

/**
 * Turns an exception escaping a stage into a fail-stop halt.
 *
 * <p>It records the halt and rethrows, which ends the stage's event loop
 * without advancing its sequence past the failed event. That matters: the
 * outcome stage is gated on the journal and logic stages, so an event that
 * failed to be journaled can never have its outcome released.
 */
public final class StageFailures implements ExceptionHandler<CommandSlot>
{
    private final String stage;
    private final SharedLifecycle lifecycle;

    private StageFailures(final String stage, final SharedLifecycle lifecycle)
    {
        this.stage = stage;
        this.lifecycle = lifecycle;
    }

    /**
     * @param stage     the stage's name, for the halt reason.
     * @param lifecycle the engine's state, halted on failure.
     * @return the exception handler for that stage.
     */
    public static StageFailures haltOn(final String stage, final SharedLifecycle lifecycle)
    {
        return new StageFailures(stage, lifecycle);
    }

    @Override
    public void handleEventException(final Throwable ex, final long ringSequence, final CommandSlot slot)
    {
        final long sequence = slot == null ? -1 : slot.sequence;
        lifecycle.halt(stage + " stage failed at sequence " + sequence + ": " + describe(ex), ex);
        throw new StageHaltedException(stage, sequence, ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        lifecycle.halt(stage + " stage failed to start: " + describe(ex), ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        // Nothing is released after shutdown; halting records the failure for close() to report.
        lifecycle.halt(stage + " stage failed to shut down: " + describe(ex), ex);
    }

    /**
     * The journal's own failures (disk full, a failed write) say what happened in their message,
     * for an operator; anything else is a bug, and its class name is part of the story.
     */
    private static String describe(final Throwable ex)
    {
        return ex instanceof JournalException && ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }

    /**
     * @param uncaught what ended a thread.
     * @return the failure that halted the engine when {@code uncaught} is how a halted stage's
     *     thread ends (the halt is recorded, its reason and cause are the engine's to report), else null.
     */
    public static Throwable haltCauseOf(final Throwable uncaught)
    {
        return uncaught instanceof StageHaltedException ? uncaught.getCause() : null;
    }

    /** Ends a stage's event loop after a halt; carries the original failure. */
    static final class StageHaltedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StageHaltedException(final String stage, final long sequence, final Throwable cause)
        {
            super(stage + " stage halted at sequence " + sequence, cause);
        }
    }
}
