package io.stockflow.engine.pipeline;

import io.stockflow.engine.EngineLifecycle;
import io.stockflow.engine.jfr.HaltEvent;

/**
 * The engine's life-cycle state, shared by the publisher (reads it on every
 * publish), the stages (halt on failure) and the engine (moves it forward).
 * One volatile field: a publish pays a single volatile read.
 */
public final class SharedLifecycle
{
    private volatile EngineLifecycle state = EngineLifecycle.NEW;
    private volatile String haltReason;
    private volatile Throwable haltCause;
    // Set once by the engine before the stages start; run by the thread that halts.
    private volatile Runnable onHalt;

    /** @return the current state. */
    public EngineLifecycle get()
    {
        return state;
    }

    /**
     * Moves to {@code next} unless the engine has halted: a halt is final.
     *
     * @param next the new state.
     * @return true if the state changed.
     */
    public synchronized boolean moveTo(final EngineLifecycle next)
    {
        if (state == EngineLifecycle.HALTED)
        {
            return false;
        }
        state = next;
        return true;
    }

    /**
     * Moves from {@code expected} to {@code next} atomically.
     *
     * @param expected the state required.
     * @param next     the new state.
     * @return true if the state was {@code expected} and changed.
     */
    public synchronized boolean moveToIf(final EngineLifecycle expected, final EngineLifecycle next)
    {
        if (state != expected)
        {
            return false;
        }
        state = next;
        return true;
    }

    /**
     * Fail-stop: from now on every publish is refused with ENGINE_HALTED and no
     * further outcome is released. Commits a {@link HaltEvent} to JFR (once: a
     * halt is final).
     *
     * @param reason what failed, for people.
     * @param cause  the exception, if any.
     */
    public void halt(final String reason, final Throwable cause)
    {
        synchronized (this)
        {
            if (state == EngineLifecycle.HALTED || state == EngineLifecycle.STOPPED)
            {
                return;
            }
            haltReason = reason;
            haltCause = cause;
            state = EngineLifecycle.HALTED;
        }
        final HaltEvent event = new HaltEvent();
        if (event.shouldCommit())
        {
            event.reason = reason;
            event.cause = cause == null ? null : cause.toString();
            event.commit();
        }
        final Runnable action = onHalt;
        if (action != null)
        {
            action.run();
        }
    }

    /**
     * @param action run once, by the thread that halts the engine, after the halt is recorded (outside
     *               this object's lock: it may complete callers' futures).
     */
    public void onHalt(final Runnable action)
    {
        this.onHalt = action;
    }

    /** @return why the engine halted, or null. */
    public String haltReason()
    {
        return haltReason;
    }

    /** @return the exception that halted the engine, or null. */
    public Throwable haltCause()
    {
        return haltCause;
    }
}
