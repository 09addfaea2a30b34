package io.stockflow.cluster.service;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.MalformedCommandException;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.Outcome;
import io.stockflow.engine.rules.RuleParameters;
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
 * <p>The parameters record: a new cluster's log begins with a RULES command carrying the cluster's
 * rule parameters, sent by the service itself ({@link IngressFormat#SERVICE_CLIENT_ID}, client
 * sequence 1; {@link #encodeParametersRecord}). Arriving before any command, it sets the parameters
 * of the fresh rules and takes no sequence, as the parameters record that begins a single-node
 * journal does (docs/DOMAIN.md "Rule parameters"), so the cluster's sequences and state hash are a
 * single-node engine's created with the same parameters. A second one (a leader that failed before
 * its record was applied, and the next leader's) is a duplicate like any resent command. Should one
 * arrive after a client's command, every member applies it as an ordinary RULES command instead.
 * Clients idle for longer than the current retention are forgotten ({@link ClientTable}).
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

    /** Told of the parameters record when it sets the fresh rules' parameters (export and tests). */
    @FunctionalInterface
    public interface ParametersListener
    {
        /** Ignores it. */
        ParametersListener NONE = (retentionMs, orderCapacity, skuCapacity) ->
        {};

        /**
         * @param retentionMs   the retention the rules now have.
         * @param orderCapacity the order capacity.
         * @param skuCapacity   the SKU capacity.
         */
        void onParameters(long retentionMs, long orderCapacity, long skuCapacity);
    }

    private final ClientTable clients;
    private final long maxClockAheadMs;
    private final CommandView view = new CommandView();
    private final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private FulfillmentRules rules;
    private AppliedCommandListener appliedListener = AppliedCommandListener.NONE;
    private ParametersListener parametersListener = ParametersListener.NONE;
    private long duplicates;

    /**
     * @param maxClockAheadMs how far a command's {@code ts} may be ahead of its entry's cluster time
     *                        (docs/DOMAIN.md's {@code maxClockAheadMs}; 0 turns the bound off).
     */
    public ReplicatedFulfillment(final long maxClockAheadMs)
    {
        if (maxClockAheadMs < 0)
        {
            throw new IllegalArgumentException("maxClockAheadMs=" + maxClockAheadMs + " must be >= 0");
        }
        this.clients = new ClientTable();
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
     * @param listener told of the parameters record from now on.
     * @return this.
     */
    public ReplicatedFulfillment parametersListener(final ParametersListener listener)
    {
        this.parametersListener = listener == null ? ParametersListener.NONE : listener;
        return this;
    }

    /**
     * @return true once the log has begun: the parameters record or a command was applied (a
     *         leader that finds it false sends the parameters record).
     */
    public boolean begun()
    {
        return rules.view().events() > 0 || clients.find(IngressFormat.SERVICE_CLIENT_ID) != null;
    }

    /**
     * Writes the parameters record: a BATCH from {@link IngressFormat#SERVICE_CLIENT_ID} with client
     * sequence 1 holding one RULES command that gives all three parameters.
     *
     * @param into          receives the BATCH from 0.
     * @param retentionMs   the cluster's retention.
     * @param orderCapacity its order capacity.
     * @param skuCapacity   its SKU capacity.
     * @return the BATCH's length.
     */
    public static int encodeParametersRecord(final MutableDirectBuffer into, final long retentionMs,
        final long orderCapacity, final long skuCapacity)
    {
        final byte[] command = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final int length =
            CommandCodec.encodeRules(command, 0, CommandFields.ALL_RULE_FIELDS, retentionMs, orderCapacity,
                skuCapacity);
        into.putInt(IngressFormat.TYPE_OFFSET, IngressFormat.TYPE_BATCH, IngressFormat.ORDER);
        into.putInt(IngressFormat.COUNT_OFFSET, 1, IngressFormat.ORDER);
        into.putLong(IngressFormat.CLIENT_ID_OFFSET, IngressFormat.SERVICE_CLIENT_ID, IngressFormat.ORDER);
        into.putLong(IngressFormat.FIRST_SEQUENCE_OFFSET, 1, IngressFormat.ORDER);
        into.putLong(IngressFormat.RECEIVED_THROUGH_OFFSET, 1, IngressFormat.ORDER);
        final int at = IngressFormat.BATCH_HEADER_LENGTH;
        into.putInt(at, length, IngressFormat.ORDER);
        into.putLong(at + IngressFormat.ENTRY_TS_OFFSET, IngressFormat.NO_TS, IngressFormat.ORDER);
        into.putBytes(at + IngressFormat.ENTRY_HEADER_LENGTH, command, 0, length);
        return at + IngressFormat.ENTRY_HEADER_LENGTH + length;
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
     * @return the RESULTS message's length, 0 when there is nothing to send (a client's entry before
     *         the parameters record is one: left for the client to resend).
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
        if (clientId != IngressFormat.SERVICE_CLIENT_ID && !begun())
        {
            return 0;
        }
        clients.sweep(clusterTimeMs, rules.view().retentionMs());
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
            else if (ts != IngressFormat.NO_TS && !RuleParameters.validTime(ts)
                || !wrap(buffer, payloadOffset, payloadLength))
            {
                // A ts outside docs/DOMAIN.md's time range is malformed, as it is a format error in the text form.
                sequence = 0;
                outcome = IngressFormat.OUTCOME_MALFORMED;
            }
            else if (isParametersRecord(clientId, clientSequence))
            {
                sequence = 0;
                outcome = Outcome.ACCEPTED;
                rules.initializeParameters(view.retentionMs(), view.orderCapacity(), view.skuCapacity());
                parametersListener.onParameters(view.retentionMs(), view.orderCapacity(), view.skuCapacity());
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
     * The service's first command, with all three parameters in range: set on the fresh rules without
     * a sequence. Anything else from the service's client id is an ordinary command.
     */
    private boolean isParametersRecord(final long clientId, final long clientSequence)
    {
        return clientId == IngressFormat.SERVICE_CLIENT_ID && clientSequence == 1 && rules.view().events() == 0
            && view.type() == CommandType.RULES && view.ruleFields() == CommandFields.ALL_RULE_FIELDS
            && RuleParameters.validRetention(view.retentionMs())
            && RuleParameters.validOrderCapacity(view.orderCapacity())
            && RuleParameters.validSkuCapacity(view.skuCapacity());
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
