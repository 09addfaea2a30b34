package io.stockflow.engine.rules;

/**
 * The sequence and event-time rule of docs/DOMAIN.md "Units and time", in one place:
 * the next event gets sequence {@code last + 1} and event time
 * {@code t = max(ts, t of the previous event)}, so sequences are gap-free from 1 and
 * event time never goes backwards.
 *
 * <p>Pure and single-threaded: each instance belongs to one thread. The state machine
 * ({@link FulfillmentRules}) keeps one, so every host computes the same sequence and
 * event time from the same commands; a publisher that must stamp both before an event
 * is journaled keeps its own instance on its own thread, and whoever applies the
 * journaled event checks the stamp against the state machine's
 * ({@link FulfillmentRules#checkNext}). Before any event the previous event time is 0,
 * as it is for a publisher resuming an empty journal, so a negative first {@code ts}
 * becomes 0.
 */
public final class EventClock
{
    private long lastSequence;
    private long lastEventTime;

    /**
     * Continues after a known event, for a restored state or a publisher resuming
     * after recovery.
     *
     * @param lastSequence  the last event's sequence, {@code >= 0} (0: none yet).
     * @param lastEventTime the last event's time (0 when there was none).
     * @throws IllegalArgumentException if {@code lastSequence} is negative.
     */
    public void resumeAfter(final long lastSequence, final long lastEventTime)
    {
        if (lastSequence < 0)
        {
            throw new IllegalArgumentException("lastSequence=" + lastSequence + " must be >= 0");
        }
        this.lastSequence = lastSequence;
        this.lastEventTime = lastEventTime;
    }

    /**
     * Advances to the next event.
     *
     * @param ts the command's time.
     * @return the next event's time, {@code max(ts, lastEventTime())}; its sequence is
     *         then {@link #lastSequence()}.
     */
    public long next(final long ts)
    {
        final long eventTime = eventTimeFor(ts);
        lastSequence++;
        lastEventTime = eventTime;
        return eventTime;
    }

    /** @return the sequence {@link #next} will give, {@code lastSequence() + 1}. */
    public long nextSequence()
    {
        return lastSequence + 1;
    }

    /**
     * @param ts a command's time.
     * @return the event time {@link #next} would give it, without advancing.
     */
    public long eventTimeFor(final long ts)
    {
        return Math.max(ts, lastEventTime);
    }

    /** @return the last event's sequence, 0 before any. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return the last event's time, 0 before any. */
    public long lastEventTime()
    {
        return lastEventTime;
    }
}
