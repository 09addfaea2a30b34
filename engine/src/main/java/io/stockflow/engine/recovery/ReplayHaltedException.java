package io.stockflow.engine.recovery;

/**
 * The rules threw during a replay while the engine's policy is HALT: the live
 * engine halted at this same event, and recovery stops here too.
 */
public final class ReplayHaltedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final long sequence;

    /**
     * @param sequence the event on which the rules threw.
     * @param cause    what they threw.
     */
    public ReplayHaltedException(final long sequence, final Throwable cause)
    {
        super("the rules threw at sequence " + sequence + " (logic failure policy HALT): " + cause, cause);
        this.sequence = sequence;
    }

    /** @return the event on which the rules threw. */
    public long sequence()
    {
        return sequence;
    }
}
