package io.stockflow.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The handshake between a publish and {@link StockflowEngine#close()} that makes a
 * returned sequence survive a clean close.
 *
 * <p>A publish calls {@link #begin()} (one volatile store) before it reads the
 * life-cycle state and {@link #end()} once it has published or refused. Close first
 * moves the state out of RUNNING and then {@link #awaitIdle waits} until no publish is
 * in flight. The store-load pair on each side means a publish racing close either
 * sees the new state and is refused, or is in the ring before the drain starts.
 *
 * <p><b>Threading.</b> {@link #begin()} and {@link #end()}: the publisher's owner
 * thread only; {@link #awaitIdle}: the thread closing the engine.
 */
final class InFlightHandshake
{
    private static final long IDLE_POLL_NANOS = 20_000;
    private static final VarHandle IN_FLIGHT;

    static
    {
        try
        {
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(InFlightHandshake.class, "inFlight", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int inFlight;

    /** Marks a publish in flight: a volatile store that precedes the publish's life-cycle read. */
    void begin()
    {
        inFlight = 1;
    }

    /** Marks the publish done (release store: everything it wrote happens before). */
    void end()
    {
        IN_FLIGHT.setRelease(this, 0);
    }

    /**
     * Waits until no publish is in flight. Called after the state left RUNNING: from
     * then on every publish that starts is refused, so once this returns true no
     * command can enter the ring any more.
     *
     * @param deadlineNs a {@link System#nanoTime()} deadline.
     * @return true when idle, false when the deadline passed first.
     */
    boolean awaitIdle(final long deadlineNs)
    {
        while (inFlight != 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            LockSupport.parkNanos(IDLE_POLL_NANOS);
        }
        return true;
    }
}
