package io.stockflow.cluster.service;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.MalformedCommandException;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The replicated state machine: the unchanged {@link FulfillmentRules} plus the host's
 * {@link ClientTable}, fed one log entry (an {@link IngressFormat} BATCH) at a time with that entry's
 * cluster time. The same class runs inside {@link StockflowClusteredService} and in
 * {@code cluster export}, which reads a node's log recording back, so the exported journal holds
 * exactly the commands the service applied, with the {@code ts} the rules got.
 *
 * <p>Per entry, in order: the client's "results received through" drops kept results; each command
 * whose client sequence is at most the client's highest applied one is a duplicate (its kept result,
 * if any, is answered again; nothing is applied); the next client sequence is admitted (the
 * clock-ahead bound) and applied with {@code ts}, or with the entry's cluster time when it carries
 * none; a gap (a later client sequence) ends the entry there, the client resends from the gap.
 *
 * <p>Service thread only. Allocation-free per entry once the client is known.
 */
public final class ReplicatedFulfillment
{
    /** Told of every command the rules applied, in log order (export and tests). */
    @FunctionalInterface
    public interface AppliedCommandListener
    {
        /** Ignores everything. */
        AppliedCommandListener NONE = (clientId, clientSequence, ts, command, sequence, outcome) ->
        {};

        /**
         * @param clientId       the client that sent it.
         * @param clientSequence its client sequence.
         * @param ts       the ts the rules were given (the command's or its entry's cluster time).
         * @param command  the command, valid only during the call.
         * @param sequence the engine sequence it got.
         * @param outcome  its outcome code.
         */
        void onApplied(long clientId, long clientSequence, long ts, CommandView command, long sequence, int outcome);
    }

    private final ClientTable clients;
    private final long maxClockAheadMs;
    private final CommandView view = new CommandView();
    private final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private FulfillmentRules rules;
    private AppliedCommandListener appliedListener = AppliedCommandListener.NONE;
    private long duplicates;

    /**
     * @param idleForgetMs    cluster time after which a silent client is forgotten.
     * @param maxClockAheadMs how far a command's {@code ts} may be ahead of its entry's cluster time
     *                        (docs/DOMAIN.md's {@code maxClockAheadMs}; 0 turns the bound off).
     */
    public ReplicatedFulfillment(final long idleForgetMs, final long maxClockAheadMs)
    {
        if (maxClockAheadMs < 0)
        {
            throw new IllegalArgumentException("maxClockAheadMs=" + maxClockAheadMs + " must be >= 0");
        }
        this.clients = new ClientTable(idleForgetMs);
        this.maxClockAheadMs = maxClockAheadMs;
        this.rules = new FulfillmentRules(ExpiryListener.NONE);
    }

    /**
     * @param listener told of every applied command from now on.
     * @return this.
     */
    public ReplicatedFulfillment appliedListener(final AppliedCommandListener listener)
    {
        this.appliedListener = listener == null ? AppliedCommandListener.NONE : listener;
        return this;
    }

    /**
     * Applies one BATCH entry.
     *
     * @param buffer        holds the entry.
     * @param offset        where it starts.
     * @param length        its length.
     * @param clusterTimeMs the entry's cluster time in milliseconds.
     * @param results       receives the RESULTS message for the client (applied and re-answered
     *                      duplicates), at least {@link #resultsCapacity(int)} bytes.
     * @return the RESULTS message's length, 0 when there is nothing to send.
     * @throws IllegalArgumentException if the entry is not a well-framed BATCH.
     */
    public int onBatch(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long clusterTimeMs,
        final MutableDirectBuffer results)
    {
        if (length < IngressFormat.BATCH_HEADER_LENGTH
            || buffer.getInt(offset + IngressFormat.TYPE_OFFSET, IngressFormat.ORDER) != IngressFormat.TYPE_BATCH)
        {
            throw new IllegalArgumentException("not a BATCH message: length=" + length);
        }
        final int count = buffer.getInt(offset + IngressFormat.COUNT_OFFSET, IngressFormat.ORDER);
        final long clientId = buffer.getLong(offset + IngressFormat.CLIENT_ID_OFFSET, IngressFormat.ORDER);
        final long firstSequence = buffer.getLong(offset + IngressFormat.FIRST_SEQUENCE_OFFSET, IngressFormat.ORDER);
        final long receivedThrough = buffer.getLong(offset + IngressFormat.RECEIVED_THROUGH_OFFSET,
            IngressFormat.ORDER);
        clients.sweep(clusterTimeMs);
        final ClientTable.Client client = clients.touch(clientId, clusterTimeMs);
        client.received(receivedThrough);
        results.putInt(IngressFormat.TYPE_OFFSET, IngressFormat.TYPE_RESULTS, IngressFormat.ORDER);
        results.putLong(IngressFormat.CLIENT_ID_OFFSET, clientId, IngressFormat.ORDER);
        int resultCount = 0;
        int at = offset + IngressFormat.BATCH_HEADER_LENGTH;
        final int end = offset + length;
        for (int i = 0; i < count; i++)
        {
            if (at + IngressFormat.ENTRY_HEADER_LENGTH > end)
            {
                throw new IllegalArgumentException("BATCH entry " + i + " runs past the message");
            }
            final int payloadLength = buffer.getInt(at, IngressFormat.ORDER);
            final long ts = buffer.getLong(at + IngressFormat.ENTRY_TS_OFFSET, IngressFormat.ORDER);
            final int payloadOffset = at + IngressFormat.ENTRY_HEADER_LENGTH;
            if (payloadLength < 0 || payloadLength > payload.length || payloadOffset + payloadLength > end)
            {
                throw new IllegalArgumentException("BATCH entry " + i + " has payload length=" + payloadLength);
            }
            at = payloadOffset + payloadLength;
            final long clientSequence = firstSequence + i;
            if (clientSequence <= client.highestApplied())
            {
                duplicates++;
                final int slot = client.findKept(clientSequence);
                if (slot >= 0)
                {
                    putResult(results, resultCount++, clientSequence, client.keptSequence(slot),
                        client.keptOutcome(slot));
                }
                continue;
            }
            if (clientSequence != client.highestApplied() + 1)
            {
                break;
            }
            final long sequence;
            final int outcome;
            if (ts != IngressFormat.NO_TS && refusesAsClockAhead(ts, clusterTimeMs))
            {
                sequence = 0;
                outcome = IngressFormat.OUTCOME_REFUSED_CLOCK_AHEAD;
            }
            else if (!wrap(buffer, payloadOffset, payloadLength))
            {
                sequence = 0;
                outcome = IngressFormat.OUTCOME_MALFORMED;
            }
            else
            {
                final long effectiveTs = ts == IngressFormat.NO_TS ? clusterTimeMs : ts;
                outcome = rules.apply(effectiveTs, view);
                sequence = rules.view().lastSequence();
                appliedListener.onApplied(clientId, clientSequence, effectiveTs, view, sequence, outcome);
            }
            client.applied(clientSequence, sequence, outcome);
            putResult(results, resultCount++, clientSequence, sequence, outcome);
        }
        results.putInt(IngressFormat.COUNT_OFFSET, resultCount, IngressFormat.ORDER);
        return resultCount == 0 ? 0 : IngressFormat.RESULTS_HEADER_LENGTH + resultCount * IngressFormat.RESULT_LENGTH;
    }

    /**
     * @param commands commands in a BATCH.
     * @return bytes its RESULTS message can take.
     */
    public static int resultsCapacity(final int commands)
    {
        return IngressFormat.RESULTS_HEADER_LENGTH + commands * IngressFormat.RESULT_LENGTH;
    }

    /**
     * The clock-ahead bound of docs/DOMAIN.md with the entry's cluster time as the clock: the
     * single-node engine applies it at publish (admission, before journaling); here the log entry is
     * already agreed, so every member refuses the same command at the same entry and the rules never
     * see it.
     */
    private boolean refusesAsClockAhead(final long ts, final long clusterTimeMs)
    {
        return maxClockAheadMs > 0 && ts > clusterTimeMs && ts - clusterTimeMs > maxClockAheadMs;
    }

    private boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.getBytes(offset, payload, 0, length);
        try
        {
            view.wrap(payload, 0, length);
            return true;
        }
        catch (final MalformedCommandException ex)
        {
            return false;
        }
    }

    private static void putResult(
        final MutableDirectBuffer results,
        final int index,
        final long clientSequence,
        final long sequence,
        final int outcome)
    {
        final int at = IngressFormat.RESULTS_HEADER_LENGTH + index * IngressFormat.RESULT_LENGTH;
        results.putLong(at, clientSequence, IngressFormat.ORDER);
        results.putLong(at + IngressFormat.RESULT_SEQUENCE_OFFSET, sequence, IngressFormat.ORDER);
        results.putInt(at + IngressFormat.RESULT_OUTCOME_OFFSET, outcome, IngressFormat.ORDER);
    }

    /** @return the rules' read-only view. */
    public StateView view()
    {
        return rules.view();
    }

    /** @return the deduplication table. */
    public ClientTable clients()
    {
        return clients;
    }

    /** @return commands skipped as duplicates since this instance was made (not replicated state). */
    public long duplicates()
    {
        return duplicates;
    }

    /**
     * Replaces the rules with ones restored from a snapshot.
     *
     * @param restored the restored rules.
     */
    void restoreRules(final FulfillmentRules restored)
    {
        this.rules = restored;
    }

    /** @return fresh rules for a {@code StateRestorer}. */
    static FulfillmentRules freshRules()
    {
        return new FulfillmentRules(ExpiryListener.NONE);
    }
}
