package io.stockflow.engine;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;

import java.util.ArrayList;
import java.util.List;

/** Records every outcome as text, for assertions; thread-safe for reading after awaitReleased. */
final class RecordingListener implements OutcomeListener
{
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void onResult(
        final long sequence, final long eventTimeMs, final CommandType type, final long entityId,
        final RejectReason rejectReason, final boolean logicError)
    {
        events.add(sequence + " " + type + " " + (logicError ? "LOGIC_ERROR" : rejectReason == null ? "ACCEPTED"
            : rejectReason.name()));
    }

    @Override
    public synchronized void onOrderExpired(final long sequence, final long orderId)
    {
        events.add(sequence + " EXPIRED " + orderId);
    }

    synchronized List<String> events()
    {
        return new ArrayList<>(events);
    }
}
