package io.stockflow.engine.counters;

import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.rules.Outcome;

/**
 * Counts outcome codes into the logic stage's counters without allocation: a
 * table from reject-reason code to counter, built once.
 */
public final class OutcomeCounting
{
    private final CountersFile counters;
    private final EngineCounter[] byReasonCode = new EngineCounter[RejectReason.MAX_CODE + 1];

    /** @param counters where to count. */
    public OutcomeCounting(final CountersFile counters)
    {
        this.counters = counters;
        for (final RejectReason reason : RejectReason.values())
        {
            byReasonCode[reason.code()] = EngineCounter.valueOf("REJECTED_" + reason.name());
        }
    }

    /** @param outcome an outcome code from the rules. */
    public void count(final int outcome)
    {
        if (outcome == Outcome.ACCEPTED)
        {
            counters.add(EngineCounter.ACCEPTED, 1);
        }
        else
        {
            counters.add(byReasonCode[outcome], 1);
        }
    }
}
