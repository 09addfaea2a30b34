package io.stockflow.engine.recovery;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;

/**
 * What a replay saw: events by type, rejections by reason, expiries, logic
 * errors, the sequence and time range covered, and how long it took.
 */
public final class ReplayStats
{
    final long[] byType = new long[CommandType.MAX_CODE + 1];
    final long[] byReason = new long[RejectReason.MAX_CODE + 1];
    long events;
    boolean parametersRecord;
    long accepted;
    long expiries;
    long logicErrors;
    long firstSequence;
    long lastSequence;
    long firstEventTimeMs;
    long lastEventTimeMs;
    long elapsedNs;
    long payloadBytes;

    /** @return true if the replay began at the journal's parameters record and took its parameters. */
    public boolean parametersRecord()
    {
        return parametersRecord;
    }

    /** @return the number of journaled commands applied. */
    public long events()
    {
        return events;
    }

    /** @return commands accepted. */
    public long accepted()
    {
        return accepted;
    }

    /** @return commands rejected, any reason. */
    public long rejected()
    {
        long total = 0;
        for (final long count : byReason)
        {
            total += count;
        }
        return total;
    }

    /**
     * @param type a command type.
     * @return how many of that type were applied.
     */
    public long count(final CommandType type)
    {
        return byType[type.code()];
    }

    /**
     * @param reason a rejection reason.
     * @return how many were rejected for it.
     */
    public long rejected(final RejectReason reason)
    {
        return byReason[reason.code()];
    }

    /** @return reservations that expired during the replay. */
    public long expiries()
    {
        return expiries;
    }

    /** @return events on which the rules threw (recorded, with RECORD_AND_CONTINUE). */
    public long logicErrors()
    {
        return logicErrors;
    }

    /** @return the first sequence applied, 0 if none. */
    public long firstSequence()
    {
        return firstSequence;
    }

    /** @return the last sequence applied, 0 if none. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return event time of the first event applied. */
    public long firstEventTimeMs()
    {
        return firstEventTimeMs;
    }

    /** @return event time of the last event applied. */
    public long lastEventTimeMs()
    {
        return lastEventTimeMs;
    }

    /** @return wall time the replay took, ns. */
    public long elapsedNs()
    {
        return elapsedNs;
    }

    /** @return payload bytes read. */
    public long payloadBytes()
    {
        return payloadBytes;
    }

    /** @return events per second, or 0 when too quick to measure. */
    public double eventsPerSecond()
    {
        return elapsedNs <= 0 ? 0 : events * 1e9 / elapsedNs;
    }
}
