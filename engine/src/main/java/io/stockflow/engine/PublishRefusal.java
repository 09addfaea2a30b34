package io.stockflow.engine;

/**
 * Refusals reported by a publish call itself, as negative return values. A
 * refused command is not journaled, gets no sequence and leaves no trace in the
 * state (docs/DOMAIN.md "Admission classes").
 *
 * <p>Encoded as {@code long} constants rather than an object so that a publish
 * call allocates nothing: a return value {@code > 0} is the assigned sequence.
 */
public final class PublishRefusal
{
    /** The ring is short of free slots for this command's admission class, or a wait timed out. */
    public static final long BACKPRESSURE = -1;
    /** The engine is draining or stopped. */
    public static final long ENGINE_STOPPING = -2;
    /** The engine halted after a journal failure or a logic exception. */
    public static final long ENGINE_HALTED = -3;
    /** The engine has not been started yet. */
    public static final long ENGINE_NOT_STARTED = -4;
    /**
     * The command's {@code ts} is more than {@code EngineConfig.maxClockAheadMs()} ahead of the
     * engine clock (docs/DOMAIN.md "Units and time"): one far-future time would move event time
     * ahead for good.
     */
    public static final long CLOCK_AHEAD = -5;

    private PublishRefusal()
    {
    }

    /**
     * @param result a value returned by a publish call.
     * @return true when it is a sequence, false when it is a refusal.
     */
    public static boolean isAccepted(final long result)
    {
        return result > 0;
    }

    /**
     * @param result a value returned by a publish call.
     * @return the refusal's name, or {@code "SEQUENCE"} when the result is a sequence.
     */
    public static String name(final long result)
    {
        if (result > 0)
        {
            return "SEQUENCE";
        }
        if (result == BACKPRESSURE)
        {
            return "BACKPRESSURE";
        }
        if (result == ENGINE_STOPPING)
        {
            return "ENGINE_STOPPING";
        }
        if (result == ENGINE_HALTED)
        {
            return "ENGINE_HALTED";
        }
        if (result == ENGINE_NOT_STARTED)
        {
            return "ENGINE_NOT_STARTED";
        }
        if (result == CLOCK_AHEAD)
        {
            return "CLOCK_AHEAD";
        }
        return "UNKNOWN(" + result + ")";
    }
}
